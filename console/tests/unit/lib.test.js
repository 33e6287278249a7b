import { describe, expect, it } from 'vitest'
import { toCsv } from '../../src/lib/csv.js'
import { settingsChange, showSetting, SETTING_FIELDS } from '../../src/lib/settings.js'
import { dateTime, label, percent, seconds } from '../../src/lib/format.js'
import { qs } from '../../src/lib/api.js'

describe('csv', () => {
  it('quotes cells with commas, quotes and newlines, and starts with a BOM', () => {
    const csv = toCsv([{ key: 'a', label: '课程' }, { label: '值', value: (r) => r.b * 2 }], [{ a: 'x,"y"', b: 2 }, { a: '多\n行', b: 1 }])
    expect(csv.startsWith('\uFEFF课程,值\r\n')).toBe(true)
    expect(csv).toContain('"x,""y""",4\r\n')
    expect(csv).toContain('"多\n行",2\r\n')
  })
})

describe('settings form', () => {
  it('sends only the fields that were filled, as numbers and booleans', () => {
    expect(settingsChange({ waitlist_capacity: '5', grace_seconds: '', extra_requires_compensation: true })).toEqual({
      body: { waitlist_capacity: 5, extra_requires_compensation: true },
    })
  })
  it('names the first field out of range, like the API does', () => {
    expect(settingsChange({ grace_seconds: '99999' }).error.field).toBe('grace_seconds')
    expect(settingsChange({ waitlist_capacity: '1.5' }).error.field).toBe('waitlist_capacity')
    expect(settingsChange({}).error.field).toBe('')
  })
  it('shows seconds as minutes or hours where they are round', () => {
    const f = (k) => SETTING_FIELDS.find((x) => x.key === k)
    expect(showSetting(f('response_window_seconds'), 900)).toBe('15 分钟')
    expect(showSetting(f('cutoff_seconds'), 21600)).toBe('6 小时')
    expect(showSetting(f('waitlist_capacity'), 8)).toBe('8 人')
  })
})

describe('format', () => {
  it('shows the club wall time the API sent', () => {
    expect(dateTime('2026-11-25T19:00:00+08:00')).toBe('11-25 19:00')
    expect(dateTime(null)).toBe('—')
  })
  it('labels codes in Chinese and leaves unknown ones as they are', () => {
    expect(label('phase', 'broadcast')).toBe('广播中')
    expect(label('ledger', 'adjusted')).toBe('人工调整')
    expect(label('phase', 'new_phase')).toBe('new_phase')
  })
  it('formats rates and durations', () => {
    expect(percent(0.25)).toBe('25.0%')
    expect(percent(null)).toBe('—')
    expect(seconds(90)).toBe('1.5 分钟')
  })
  it('builds query strings without empty values', () => {
    expect(qs({ a: 1, b: '', c: null, d: 'x y' })).toBe('?a=1&d=x+y')
    expect(qs({})).toBe('')
  })
})
