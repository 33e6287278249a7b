// The whole job on the real service (./scripts/mini-real starts it): a parent opens the app for
// the first time, adds a child, books a class, takes a leave, books a shorter makeup (and gets a
// credit), joins a full class's waitlist, receives the offer when another parent cancels, and
// confirms it — through the app's own pages, request layer and login, with the token expiring
// on the way. Only the club's set-up (courses, schedules) uses the admin API directly.
const http = require('http');
const { URL } = require('url');
const { createPhone, use, until } = require('./helpers/real-wx');
const recorder = require('./helpers/recorder');
const { compareShapes } = require('../tests/helpers/shapes');
const { mount, text, allText, tap } = require('../tests/helpers/mount');
const { registered } = require('../tests/helpers/links');

const BASE = process.env.MINI_REAL_API;
const RUN = process.env.MINI_REAL_RUN || String(Date.now());
const CLUB_OFFSET_MS = 8 * 3600 * 1000;

if (!BASE) throw new Error('MINI_REAL_API is not set: run ./scripts/mini-real');

/** Plain HTTP for the club's set-up (the admin side is not the app). */
function call(method, path, token, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(`${BASE}${path}`);
    const payload = body === undefined ? null : JSON.stringify(body);
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (res.statusCode >= 300) reject(new Error(`${method} ${path} → ${res.statusCode} ${JSON.stringify(json)}`));
        else resolve(json.data);
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** A club-local date `days` from today and its ISO weekday (1 = Monday). */
function clubDay(days) {
  const d = new Date(Date.now() + CLUB_OFFSET_MS + days * 86400000);
  const iso = d.toISOString().slice(0, 10);
  return { date: iso, weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay() };
}

async function open(route, query = {}) {
  const page = mount(route);
  page.instance.onLoad(query);
  await until(() => page.data.state !== 'loading', `${route} to load`);
  return page;
}

const setup = {};

beforeAll(async () => {
  const admin = (await call('POST', '/api/v1/admin/login', null, { username: 'admin', password: 'admin' })).token;
  const course = (name, level, minutes, capacity) =>
    call('POST', '/api/v1/admin/courses', admin, { name, course_type: 'group', level, duration_minutes: minutes, price: 180, capacity });
  const schedule = async (courseId, days, time) => {
    const day = clubDay(days);
    const s = await call('POST', '/api/v1/admin/schedules', admin, { course_id: courseId, weekday: day.weekday, start_time: time, coach: '王教练', location: '浦东馆' });
    return { id: s.id, date: day.date };
  };
  setup.regular = await schedule((await course('少儿体操基础班', 2, 60, 4)).id, 2, '18:00:00');
  setup.short = await schedule((await course('少儿体操短课', 2, 45, 4)).id, 3, '10:00:00');
  setup.full = await schedule((await course('少儿体操技巧班', 2, 60, 1)).id, 4, '16:00:00');
});

afterAll(() => {
  if (process.env.MINI_REAL_RECORD === '1') recorder.save();
});

const parentA = createPhone(BASE, { code: `mini-real-a-${RUN}` });
const parentB = createPhone(BASE, { code: `mini-real-b-${RUN}` });
const state = {};

test('parent B (another family) books the only seat of the full class', async () => {
  use(parentB);
  const api = require('../utils/api');
  const child = await api.createProfile({ name: '小红', level: 2 });
  const detail = await open('pages/sessions/detail', { course_schedule_id: String(setup.full.id), booking_date: setup.full.date });
  expect(text(detail, '.main-btn')).toBe('立即预约');
  await tap(detail, '.main-btn');
  await until(() => text(detail, '.main-btn') === '已预约', 'B’s booking');
  state.childB = child.id;
});

test('first start: no child yet, so the app asks for one; then the week is there', async () => {
  use(parentA);
  const page = await open('pages/sessions/index');
  expect(allText(page)).toContain('欢迎来到体操馆约课');
  const form = page.querySelector('.child-form');
  form.querySelector('.name-input').dispatchEvent('input', { detail: { value: '小明' } });
  await tap(form.querySelectorAll('.level')[1]);
  await tap(form, '.btn-save');
  await until(() => page.querySelectorAll('.session').length >= 3, 'the week’s sessions');
  const t = allText(page);
  expect(t).toContain('少儿体操基础班');
  expect(t).toContain('少儿体操技巧班');
  expect(parentA.store.get('selected_profile_id')).toBeGreaterThan(0);
});

test('books a free seat from the session page', async () => {
  use(parentA);
  const page = await open('pages/sessions/detail', { course_schedule_id: String(setup.regular.id), booking_date: setup.regular.date });
  expect(text(page, '.state-tag')).toBe('余4位');
  expect(allText(page)).toContain('开课前6小时停止候补');
  await tap(page, '.main-btn');
  await until(() => text(page, '.main-btn') === '已预约', 'the booking');
  expect(text(page, '.seats')).toBe('已约 1/4人');
});

test('我的课程: 请假 with a dialog that says what happens, straight on to choosing a makeup', async () => {
  use(parentA);
  const page = await open('pages/bookings/index');
  expect(allText(page)).toContain('少儿体操基础班');
  await tap(page.querySelectorAll('.btn-leave')[0]);
  await until(() => parentA.wx.navigateTo.mock.calls.length > 0, 'the way to the makeup picker');
  expect(parentA.wx.showModal.mock.calls[0][0].content).toContain('生成一条待补课，可以免费（¥0）另约一节');
  const url = parentA.wx.navigateTo.mock.calls[0][0].url;
  expect(url).toMatch(/^\/pages\/makeup\/select\?pending_id=\d+$/);
  state.pendingId = url.split('=')[1];
  await until(() => allText(page).includes('已请假') || page.querySelectorAll('.btn-leave').length === 0, 'the leave in the list');
});

test('books a shorter makeup for ¥0: asked for the makeup messages, told it is shorter, gets the credit', async () => {
  use(parentA);
  const page = await open('pages/makeup/select', { pending_id: state.pendingId });
  await until(() => page.data.listState !== 'loading', 'the candidates');
  const names = page.data.items.map((s) => `${s.course_name}:${s.action}`);
  expect(names).toContain('少儿体操短课:book');
  // the full class is listed with its waitlist
  expect(names).toContain('少儿体操技巧班:waitlist');
  const index = page.data.items.findIndex((s) => s.course_name === '少儿体操短课');
  const card = page.querySelectorAll('.candidate')[index];
  expect(text(card, '.match')).toContain('同类型');
  expect(text(card, '.price-new')).toBe('¥0');
  await tap(card, '.btn-select');
  await until(() => parentA.wx.redirectTo.mock.calls.length > 0, 'the success page');
  expect(parentA.wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tpl-makeup-cancelled', 'tpl-credit-expiring', 'tpl-makeup-booked']);
  expect(parentA.wx.showModal.mock.calls.pop()[0].content).toContain('比您原课程少15分钟');
  const url = parentA.wx.redirectTo.mock.calls[0][0].url;
  const query = {};
  url.split('?')[1].split('&').forEach((kv) => {
    const [k, v] = kv.split('=');
    query[k] = v;
  });
  const success = mount('pages/makeup/success');
  await success.instance.onLoad(query);
  expect(text(success, '.sentence')).toBe('补课比原课程少15分钟，已为您生成15分钟课时补偿，14天内有效。');
  state.makeupId = Number(query.id);
});

test('joins the full class’s waitlist, asked for the waitlist messages in the tap', async () => {
  use(parentA);
  const page = await open('pages/sessions/detail', { course_schedule_id: String(setup.full.id), booking_date: setup.full.date });
  expect(text(page, '.main-btn')).toBe('加入候补');
  const before = parentA.wx.requestSubscribeMessage.mock.calls.length;
  await tap(page, '.main-btn');
  await until(() => text(page, '.main-btn') === '取消候补', 'the waitlist entry');
  expect(parentA.wx.requestSubscribeMessage.mock.calls[before][0].tmplIds).toEqual(['tpl-spot-available', 'tpl-hold-for-you', 'tpl-seat-taken']);
  expect(allText(page)).toContain('您是第1位候补');
  state.waitlistId = page.data.view.mine.waitlist_id;
  const detail = await open('pages/waitlist/detail', { id: String(state.waitlistId) });
  expect(text(detail, '.position-number')).toBe('1');
  expect(allText(detail)).toContain('暂无通知');
  expect(detail.querySelector('.btn-respond')).toBeUndefined();
});

test('parent B cancels in 我的课程; parent A receives the offer and confirms it, through an expired login', async () => {
  use(parentB);
  const mine = await open('pages/bookings/index');
  await tap(mine.querySelectorAll('.btn-cancel')[0]);
  await until(() => parentB.wx.showToast.mock.calls.some((c) => c[0].title === '已取消预约'), 'B’s cancellation');

  use(parentA);
  const api = require('../utils/api');
  const entry = await until(async () => {
    const data = await api.myWaitlist();
    return data.items.find((e) => e.course_schedule_id === setup.full.id && e.offer);
  }, 'the offer to reach parent A', 30000);
  const offer = await open('pages/waitlist/offer', { id: String(entry.waitlist_id) });
  expect(text(offer, '.stage-title')).toBe('有名额空出！');
  await tap(offer, '.btn-begin');
  await until(() => offer.data.phase === 'confirm', 'the begin');
  // the login expires on the way: the confirm is refused once, the app logs in again and replays it
  const logins = parentA.wx.login.mock.calls.length;
  parentA.store.set('auth_token', 'expired.token.value');
  await tap(offer, '.btn-confirm');
  await until(() => offer.data.verdict, 'the verdict');
  expect(text(offer, '.verdict-title')).toBe('预约成功');
  expect(parentA.wx.login.mock.calls.length).toBe(logins + 1);
  const confirms = parentA.requests.filter((r) => r.method === 'PUT' && r.body && r.body.action === 'confirm');
  expect(confirms.map((r) => r.status)).toEqual([401, 200]);
});

test('我的课程 shows the won seat; the notification centre has the offer, marks it read, 全部已读', async () => {
  use(parentA);
  const page = await open('pages/bookings/index');
  expect(allText(page)).toContain('少儿体操技巧班');
  expect(page.querySelectorAll('.source').map((s) => s.dom.textContent)).toContain('候补成功');
  const centre = await open('pages/notifications/index');
  const spot = centre.data.items.find((n) => n.type === 'spot_available');
  expect(spot).toBeDefined();
  state.sentPages = centre.data.items.filter((n) => n.data && n.data.page).map((n) => n.data.page);
  const unread = centre.data.unread;
  const index = centre.data.items.indexOf(spot);
  await tap(centre.querySelectorAll('.notice')[index]);
  await until(() => parentA.requests.some((r) => /\/notifications\/\d+\/read$/.test(r.path) && r.status), 'the read mark');
  expect(centre.data.unread).toBe(Math.max(0, unread - (spot.read ? 0 : 1)));
  await centre.instance.onReadAll();
  expect(centre.data.unread).toBe(0);
  expect(parentA.wx.removeTabBarBadge).toHaveBeenCalled();
  // the waitlist entry's history, newest first
  const detail = await open('pages/waitlist/detail', { id: String(state.waitlistId) });
  expect(allText(detail)).toContain('已预约成功');
  expect(detail.data.history.map((n) => n.type)).toContain('spot_available');
});

test('sees the credit: 课时补偿 and the makeup’s own page', async () => {
  use(parentA);
  const comp = await open('pages/makeup/compensation');
  expect(allText(comp)).toContain('15分钟');
  expect(allText(comp)).toContain('14天内有效');
  const detail = await open('pages/my-bookings/makeup/detail', { id: String(state.makeupId) });
  expect(text(detail, '.credit-minutes')).toBe('15分钟');
  expect(allText(detail)).toContain('少儿体操基础班');
  expect(allText(detail)).toContain('电话 021-58886666');
  const mine = await open('pages/my-bookings/makeup/index');
  expect(allText(mine)).toContain('少儿体操短课');
});

test('every page the service put into a notification is registered in app.json', () => {
  expect(state.sentPages.length).toBeGreaterThan(0);
  const pages = registered();
  expect(state.sentPages.filter((p) => pages.indexOf(p.split('?')[0]) < 0)).toEqual([]);
});

test('the answers still have the shapes the jest fixtures were checked against (tests/contract/recorded.json)', () => {
  if (process.env.MINI_REAL_RECORD === '1') return;
  const saved = recorder.load();
  expect(saved).not.toBeNull();
  const live = recorder.recorded();
  const open = ['items[].data', 'data', 'rules.by_course_type', 'subscribe.templates', 'remaining'];
  const problems = Object.keys(live)
    .filter((key) => saved[key])
    .flatMap((key) => compareShapes(live[key].shape, saved[key].shape, '', open).map((p) => `${key}: ${p}`));
  // a difference means the service changed: MINI_REAL_RECORD=1 ./scripts/mini-real, then fix the fixtures
  expect(problems).toEqual([]);
});
