// The staff console in a real browser (headless Chromium from Debian, no browser download),
// against the real API, worker, Temporal dev server and database that run.sh started.
// A staff member logs in, finds a full session, removes a queue entry, books a makeup for a
// family, adjusts a credit and reads the statistics — all from the console, no curl.
import { test as nodeTest, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const API = process.env.API_URL
const SHOTS = process.env.SCREENSHOTS || join(import.meta.dirname, 'output')
const TIMEOUT = 15000
let browser
let page
const seed = {}

async function api(method, path, body, token) {
  const res = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json.data
}

/** A weekly slot `days` club days from today at `hour`:00 (club time zone Asia/Shanghai). */
function slot(days, hour) {
  const wall = new Date(Date.now() + 8 * 3600e3)
  const d = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + days))
  return { date: d.toISOString().slice(0, 10), weekday: ((d.getUTCDay() + 6) % 7) + 1, start_time: `${String(hour).padStart(2, '0')}:00:00` }
}

async function session(admin, name, minutes, capacity, days, hour) {
  const { id: course_id } = await api('POST', '/api/v1/admin/courses', { name, course_type: 'group', level: 3, duration_minutes: minutes, price: 180, capacity }, admin)
  const s = slot(days, hour)
  const { id } = await api('POST', '/api/v1/admin/schedules', { course_id, weekday: s.weekday, start_time: s.start_time, coach: '王教练', location: '浦东馆' }, admin)
  return { schedule: id, date: s.date }
}

async function parent(code, childName) {
  const { token, user_id } = await api('POST', '/api/v1/auth/login', { code })
  const { id: child } = await api('POST', '/api/v1/profiles', { name: childName, level: 3 }, token)
  return { token, user_id, child }
}

/** A screenshot of the page from its top, without the toasts of earlier steps (unless kept). */
async function shot(name, { keepToasts = false } = {}) {
  await page.waitForLoadState('networkidle')
  await page.evaluate((keep) => {
    if (!keep) document.querySelectorAll('.el-message').forEach((e) => e.remove())
    window.scrollTo(0, 0)
    document.querySelectorAll('.el-main').forEach((e) => (e.scrollTop = 0))
  }, keepToasts)
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' })
}

/** The text box of an Element Plus input, whichever element carries the data-test. */
const field = (name) =>
  page.locator(`input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea`).first()
const fill = (name, text) => field(name).fill(text)

/** A test that leaves a screenshot of the page behind when it fails. */
function test(name, fn) {
  nodeTest(name, async () => {
    try {
      await fn()
    } catch (e) {
      await page?.screenshot({ path: join(SHOTS, `FAILED-${name.slice(0, 30).replace(/[^\w]+/g, '_')}.png`) }).catch(() => {})
      throw e
    }
  })
}

const visible = (sel) => page.locator(sel).first().waitFor({ state: 'visible', timeout: TIMEOUT })

before(async () => {
  mkdirSync(SHOTS, { recursive: true })
  const { token: admin } = await api('POST', '/api/v1/admin/login', { username: 'admin', password: 'admin-password' })
  seed.admin = admin
  // A full class with a queue of three.
  seed.full = await session(admin, '周三提高班', 90, 1, 2, 19)
  const holder = await parent('holder', '占位')
  await api('POST', '/api/v1/bookings', { profile_id: holder.child, course_schedule_id: seed.full.schedule, booking_date: seed.full.date }, holder.token)
  seed.waiters = []
  for (const [i, name] of ['刘一', '陈二', '张三'].entries()) {
    const w = await parent(`waiter-${i}`, name)
    // The last is a family of two who asked to be booked automatically (F1, AA1).
    const family = i === 2
      ? { sibling_ids: [(await api('POST', '/api/v1/profiles', { name: '张四', level: 3 }, w.token)).id], auto_accept: true }
      : {}
    await api('POST', '/api/v1/waitlist/join', { profile_id: w.child, course_schedule_id: seed.full.schedule, booking_date: seed.full.date, ...family }, w.token)
    seed.waiters.push(w)
  }
  // A full class whose seat was just released: an open offer (broadcast) to its queue.
  const open = await session(admin, '周五精英班', 60, 1, 4, 17)
  const leaving = await parent('leaving', '周周')
  const { booking_id: leavingBooking } = await api('POST', '/api/v1/bookings', { profile_id: leaving.child, course_schedule_id: open.schedule, booking_date: open.date }, leaving.token)
  for (const [i, name] of ['吴四', '郑五'].entries()) {
    const w = await parent(`offer-waiter-${i}`, name)
    await api('POST', '/api/v1/waitlist/join', { profile_id: w.child, course_schedule_id: open.schedule, booking_date: open.date }, w.token)
  }
  await api('POST', `/api/v1/bookings/${leavingBooking}/cancel`, {}, leaving.token)
  // A family whose child took a leave (a pending makeup), and a shorter class to make it up in.
  const base = await session(admin, '基础班', 90, 4, 1, 18)
  seed.family = await parent('family-chen', '陈小宝')
  const { booking_id } = await api('POST', '/api/v1/bookings', { profile_id: seed.family.child, course_schedule_id: base.schedule, booking_date: base.date }, seed.family.token)
  await api('POST', `/api/v1/bookings/${booking_id}/leave`, {}, seed.family.token)
  seed.makeup = await session(admin, '周末短课', 60, 4, 3, 10)
  // The staff member who uses the console.
  await api('POST', '/api/v1/admin/staff', { username: 'desk.test', password: 'desk-password-1', role: 'staff' }, admin)

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
  page.setDefaultTimeout(TIMEOUT)
})

after(async () => {
  await browser?.close()
})

test('a staff member logs in', async () => {
  await page.goto(`${API}/console/`)
  await field('login-username').waitFor()
  await shot('login')
  await fill('login-username', 'desk.test')
  await fill('login-password', 'wrong-password')
  await page.click('[data-test=login-submit]')
  await visible('text=用户名或密码错误')
  await fill('login-password', 'desk-password-1')
  await page.click('[data-test=login-submit]')
  await visible('[data-test=overview-table]')
  await visible('text=desk.test（员工）')
})

test('finds the full session and removes a queue entry; positions close up', async () => {
  const row = page.locator('[data-test=overview-table] .el-table__row', { hasText: '周三提高班' })
  await row.waitFor()
  assert.match(await row.innerText(), /1\/1/)
  assert.match(await row.innerText(), /4\/8/, 'the queue counts children: a family of two is two')
  const offered = page.locator('[data-test=overview-table] .el-table__row', { hasText: '周五精英班' })
  assert.match(await offered.innerText(), /广播中/)
  await shot('overview')
  await row.locator('[data-test=session-link]').click()
  await visible('[data-test=queue-table]')
  const queue = page.locator('[data-test=queue-table] .el-table__body .el-table__row')
  assert.equal(await queue.count(), 3)
  const family = queue.nth(2)
  assert.match(await family.innerText(), /家庭2人/)
  assert.match(await family.locator('[data-test=auto-accept]').innerText(), /自动预约/)
  await queue.nth(0).locator('[data-test=remove-entry]').click()
  await fill('remove-reason', '家长来电取消候补')
  await page.click('[data-test=remove-confirm]')
  await visible('text=已移出候补队列，并已通知家长')
  // The removed entry shows as cancelled by staff; the other two are now 1 and 2.
  await page.locator('[data-test=queue-table]', { hasText: '运营移出' }).waitFor()
  const positions = await page.locator('[data-test=queue-table] .el-table__body .el-table__row td:first-child').allInnerTexts()
  assert.deepEqual(positions.map((t) => t.trim()).sort(), ['1', '2', '—'])
  await page.locator('[data-test=session-messages]', { hasText: '移出候补' }).waitFor()
  await shot('session', { keepToasts: true })
  // The parent was told.
  const inbox = await api('GET', '/api/v1/notifications', undefined, seed.waiters[0].token)
  assert.equal(inbox.items[0].type, 'waitlist_removed')
})

test('books a makeup for a family (the parent rules: a shorter class is asked first)', async () => {
  await page.click('[data-test=nav-families]')
  await page.locator('[data-test=family-table] .el-table__row', { hasText: '陈小宝' }).waitFor()
  await shot('families')
  await fill('family-search', '陈小宝')
  await page.click('[data-test=family-search-go]')
  const row = page.locator('[data-test=family-table] .el-table__row', { hasText: '陈小宝' })
  await row.waitFor()
  assert.equal(await page.locator('[data-test=family-table] .el-table__row').count(), 1)
  await row.locator('[data-test=family-link]').click()
  await visible('[data-test=children-table]')
  await page.click('[data-test=makeup-open]')
  const candidate = page.locator('[data-test=makeup-candidates] .el-table__row', { hasText: '周末短课' }).first()
  await candidate.click()
  await fill('makeup-reason', '家长来电请运营安排')
  await page.click('[data-test=makeup-confirm]')
  await visible('text=比您原课程少30分钟')
  await shot('family-makeup')
  await page.click('[data-test=makeup-confirm]')
  await visible('text=补课预约成功')
  await page.locator('[data-test=makeups-table]', { hasText: '周末短课' }).waitFor()
  const mine = await api('GET', '/api/v1/makeup/my', undefined, seed.family.token)
  assert.equal(mine.items[0].course_name, '周末短课')
  assert.equal(mine.items[0].completion_type, 'partial')
})

test('adjusts credit minutes with a reason; the balance and ledger follow', async () => {
  const balance = page.locator('[data-test=child-balance]').first()
  await page.waitForFunction(() => document.querySelector('[data-test=child-balance]')?.textContent.trim() === '30')
  await page.click('[data-test=adjust-open]')
  await fill('adjust-minutes', '15')
  await fill('adjust-reason', '教练迟到，补偿15分钟')
  await page.click('[data-test=adjust-confirm]')
  await visible('text=补偿时长已调整')
  await page.waitForFunction(() => document.querySelector('[data-test=child-balance]')?.textContent.trim() === '45')
  assert.equal((await balance.innerText()).trim(), '45')
  await page.locator('[data-test=ledger-table]', { hasText: '人工调整' }).waitFor()
  await shot('family')
  const b = await api('GET', '/api/v1/compensation/balance', undefined, seed.family.token)
  assert.equal(b.total_minutes, 45)
})

test('reads the statistics', async () => {
  await page.click('[data-test=nav-stats]')
  await visible('[data-test=stats-kpis]')
  await page.waitForFunction(() => document.querySelector('[data-test=kpi-releases]')?.textContent.trim() === '2')
  await page.locator('[data-test=stats-by-course]', { hasText: '基础班' }).waitFor()
  await page.locator('[data-test=stats-minutes]', { hasText: '人工调整' }).waitFor()
  const minutes = await page.locator('[data-test=stats-minutes] .el-table__row').allInnerTexts()
  assert.ok(minutes.some((t) => /产生\s+30/.test(t)), minutes.join(' | '))
  assert.ok(minutes.some((t) => /人工调整\s+15/.test(t)), minutes.join(' | '))
  assert.equal(await page.locator('[data-test=chart-daily] canvas').count(), 1)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-minutes]')])
  assert.match(download.suggestedFilename(), /补偿分钟.*\.csv$/)
  await shot('stats')
})

test('the problems page, the audit log, and the owner-only pages', async () => {
  await page.click('[data-test=nav-problems]')
  await visible('[data-test=problems-failed_deliveries]')
  await shot('problems')
  await page.click('[data-test=nav-audit]')
  await page.locator('[data-test=audit-table]', { hasText: '调整补偿' }).waitFor()
  const audit = await page.locator('[data-test=audit-table]').innerText()
  for (const what of ['移出候补', '代约补课', '调整补偿', 'desk.test', '家长来电取消候补']) assert.ok(audit.includes(what), what)
  await shot('audit')
  // Staff see no account page; the owner does.
  assert.equal(await page.locator('[data-test=nav-staff]').count(), 0)
  await page.click('text=退出')
  await fill('login-username', 'admin')
  await fill('login-password', 'admin-password')
  await page.click('[data-test=login-submit]')
  await visible('[data-test=overview-table]')
  await page.click('[data-test=nav-staff]')
  await page.locator('[data-test=staff-table]', { hasText: 'desk.test' }).waitFor()
  await shot('staff')
  await page.click('[data-test=nav-settings]')
  await visible('[data-test=type-settings]')
  await shot('settings')
})
