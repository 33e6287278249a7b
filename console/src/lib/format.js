// Formatting and the Chinese labels of the API's codes (one place).

export function dateTime(iso) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n) => String(n).padStart(2, '0')
  // Shown in the club's offset as the API sends it: take the wall time from the string.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso)
  if (m) return `${m[2]}-${m[3]} ${m[4]}:${m[5]}`
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function fullDateTime(iso) {
  if (!iso) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso)
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : iso
}

export function today(offsetDays = 0) {
  // The club's calendar day (Asia/Shanghai unless configured otherwise on the server).
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000)
  return d.toISOString().slice(0, 10)
}

export function percent(x) {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`
}

export function seconds(s) {
  if (s === null || s === undefined) return '—'
  if (s < 60) return `${Math.round(s)} 秒`
  if (s < 3600) return `${(s / 60).toFixed(1)} 分钟`
  return `${(s / 3600).toFixed(1)} 小时`
}

const LABELS = {
  phase: { broadcast: '广播中', hold: '顺位保留', won: '已确认', exhausted: '无人确认', cutoff: '已截止', failed: '流程失败', releasing: '释放中' },
  waitlist: { waiting: '候补中', notified: '已通知', confirmed: '已确认', expired: '已过期', cancelled: '已取消' },
  reason: { timeout: '超时', cutoff: '截止', user_cancelled: '家长取消', manual_cancel: '运营移出', system_error: '系统错误', queue_empty: '队列为空' },
  booking: { booked: '已预约', cancelled: '已取消', leave: '请假', attended: '已上课', no_show: '缺席' },
  source: { direct: '直接预约', waitlist: '候补递补', makeup: '补课' },
  makeup: { pending: '处理中', confirmed: '已预约', completed: '已完成', cancelled: '已取消', no_show: '缺席' },
  completion: { full: '等长', partial: '较短（补偿）', extra: '较长' },
  pending: { open: '待补课', booked: '已安排', closed: '已关闭' },
  credit: { available: '可用', used: '已用完', expired: '已过期', revoked: '已撤销' },
  ledger: { created: '产生', used: '使用', restored: '恢复', expired: '过期', revoked: '撤销', adjusted: '人工调整' },
  wechat: { disabled: '仅站内', no_grant: '未授权', pending: '待发送', sending: '发送中', sent: '已送达', failed: '发送失败', delivered: '已送达' },
  notice: {
    spot_available: '有名额', seat_taken: '名额被抢', hold_for_you: '为您保留', offer_expired: '确认过期',
    waitlist_expired: '候补截止', position_changed: '位置变化', makeup_booked: '补课预约', makeup_cancelled: '补课取消', seat_confirmed: '自动预约',
    compensation_expiring: '补偿将过期', staff_message: '运营消息', waitlist_removed: '移出候补', credit_adjusted: '补偿调整',
  },
  role: { owner: '店主', staff: '员工' },
  release: { cancel: '取消预约', leave: '请假', capacity: '扩容', manual: '人工' },
  channel: { in_app: '站内', wechat: '微信' },
  target: { session: '课程', waitlist: '候补', family: '家庭', profile: '孩子', user: '账号', course: '课程', course_type: '课程类型', schedule: '排课', notification: '通知', retention: '数据保留' },
}

export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  return (LABELS[kind] && LABELS[kind][code]) || code
}

export const ACTIONS = {
  'queue.remove': '移出候补',
  'credit.adjust': '调整补偿',
  'makeup.book': '代约补课',
  'message.family': '发消息给家庭',
  'message.queue': '发消息给候补队列',
  'notification.resend': '重新发送通知',
  'offer.resend': '重发候补邀请',
  'session.capacity': '修改容量',
  'settings.course_type': '课程类型设置',
  'settings.course': '课程设置',
  'settings.retention': '数据保留设置',
  'staff.create': '创建账号',
  'staff.update': '修改账号',
  'course.create': '创建课程',
  'schedule.create': '创建排课',
}
