// The ★ settings: their Chinese names, units and allowed ranges (the API checks the same
// ranges and answers 400 naming the field; checking here first tells staff sooner).

const DAY = 86400
export const SETTING_FIELDS = [
  { key: 'waitlist_capacity', label: '候补容量', unit: '人', min: 0, max: 200 },
  { key: 'response_window_seconds', label: '响应时长', unit: '秒', min: 1, max: DAY },
  { key: 'hold_window_seconds', label: '顺位保留时长', unit: '秒', min: 1, max: DAY },
  { key: 'grace_seconds', label: '决策缓冲', unit: '秒', min: 0, max: 3600 },
  { key: 'cutoff_seconds', label: '候补截止（开课前）', unit: '秒', min: 0, max: 7 * DAY },
  { key: 'compensation_valid_days', label: '补偿有效期', unit: '天', min: 1, max: 366 },
  { key: 'makeup_cancel_cutoff_seconds', label: '补课取消截止（开课前）', unit: '秒', min: 0, max: 7 * DAY },
  { key: 'extra_requires_compensation', label: '较长补课须用补偿', unit: '', bool: true },
]

/** The changed fields as the API wants them, or the first error: {field, message}. */
export function settingsChange(form) {
  const body = {}
  for (const f of SETTING_FIELDS) {
    const v = form[f.key]
    if (v === '' || v === null || v === undefined) continue
    if (f.bool) {
      body[f.key] = Boolean(v)
      continue
    }
    const n = Number(v)
    if (!Number.isInteger(n) || n < f.min || n > f.max) {
      return { error: { field: f.key, message: `${f.label}应为 ${f.min}–${f.max} 的整数` } }
    }
    body[f.key] = n
  }
  if (Object.keys(body).length === 0) return { error: { field: '', message: '没有要保存的修改' } }
  return { body }
}

/** A value for display with its unit (seconds shown as minutes/hours where round). */
export function showSetting(f, v) {
  if (v === null || v === undefined) return '—'
  if (f.bool) return v ? '是' : '否'
  if (f.unit === '秒') {
    if (v % 3600 === 0 && v >= 3600) return `${v / 3600} 小时`
    if (v % 60 === 0 && v >= 60) return `${v / 60} 分钟`
  }
  return `${v} ${f.unit}`
}
