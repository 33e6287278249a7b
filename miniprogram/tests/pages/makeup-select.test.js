const { installWx, ok, fail, deferred, strictJoin, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (extra = {}) => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }),
  'GET /api/v1/makeup/available': ok({ items: fx.availableMakeups }),
  ...extra,
});

test('shows the original class and candidates with ¥180 struck and ¥0', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(server.callsTo('GET', '/api/v1/makeup/available')[0].data).toEqual({
    pending_id: 21, date_from: '2026-11-23', date_to: '2026-11-29',
  });
  expect(allText(page)).toContain('少儿体操提高班 · L3 · 2小时 · 原价¥180');
  expect(allText(page)).toContain('请假的课：11月20日 周五 18:30');
  const cards = page.querySelectorAll('.candidate');
  expect(cards).toHaveLength(4);
  expect(text(cards[0], '.price-old')).toBe('¥180');
  expect(text(cards[0], '.price-new')).toBe('¥0');
  expect(text(cards[0], '.hint')).toBe('补课时长比原课程少30分钟');
  expect(text(cards[0], '.match')).toBe('匹配度：同类型 · 低1级 · 少30分钟');
  expect(text(cards[0], '.seats')).toBe('余3位');
  // full classes are listed too, with their waitlist
  expect(text(cards[3], '.seats')).toBe('已满员 · 候补2/8人');
  expect(text(cards[3], '.btn-select')).toBe('加入候补');
  expect(allText(page)).toContain('差额自动计入课时补偿（14天内有效）');
});

test('a full class joins its waitlist with pending_id, asking for the waitlist messages in the tap', async () => {
  const { server } = installWx({
    subscribe: { errMsg: 'ok', 'tpl-spot-available': 'accept', 'tpl-hold-for-you': 'accept', 'tpl-seat-taken': 'accept' },
    routes: routes({
      'POST /api/v1/notifications/grants': ok({ recorded: 3, remaining: {} }),
      // as strict as the service: a makeup's join never carries siblings or auto_accept (400)
      'POST /api/v1/waitlist/join': strictJoin(ok({ waitlist_id: 61, position: 3, waitlist_count: 3, waitlist_capacity: 8, estimated_wait_time: '2-3天' }, 201)),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  // issue 18: no sibling choice and no auto-accept switch when joining as a makeup
  expect(allText(page)).not.toContain('自动为我预约');
  expect(allText(page)).not.toContain('同时为其他孩子候补');
  const full = page.querySelectorAll('.candidate')[3];
  page.instance.onSelect({ detail: { session: fx.availableMakeups[3], action: 'waitlist' } });
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(fx.clubProfile.subscribe.moments.waitlist_join);
  await flush();
  await flush();
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(0);
  expect(server.callsTo('POST', '/api/v1/waitlist/join')[0].data).toEqual({ profile_id: 1, course_schedule_id: 205, booking_date: '2026-11-29', pending_id: 21 });
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您是第3位候补' }));
  expect(full).toBeDefined();
});

test('booking asks for the makeup messages in the tap, before the booking request', async () => {
  const { server } = installWx({
    subscribe: { errMsg: 'ok', 'tpl-makeup-cancelled': 'accept', 'tpl-credit-expiring': 'reject', 'tpl-makeup-booked': 'accept' },
    routes: routes({
      'POST /api/v1/notifications/grants': ok({ recorded: 3, remaining: {} }),
      'POST /api/v1/makeup/book': ok({ ...fx.makeupBooked, completion_type: 'full', compensation_created: 0 }, 201),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  page.instance.onSelect({ detail: { session: fx.availableMakeups[1], action: 'book' } });
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tpl-makeup-cancelled', 'tpl-credit-expiring', 'tpl-makeup-booked']);
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(0);
  await flush();
  await flush();
  const posts = server.calls.filter((c) => c.method === 'POST').map((c) => c.path);
  expect(posts).toEqual(['/api/v1/notifications/grants', '/api/v1/makeup/book']);
  expect(server.callsTo('POST', '/api/v1/notifications/grants')[0].data.results).toEqual({
    'tpl-makeup-cancelled': 'accept', 'tpl-credit-expiring': 'reject', 'tpl-makeup-booked': 'accept',
  });
  expect(wx.redirectTo.mock.calls[0][0].url).toContain('course_type=group');
});

test('taps on 选择此补课 while the booking is on its way make no second booking', async () => {
  const slow = deferred();
  const { server } = installWx({ routes: routes({ 'POST /api/v1/makeup/book': () => slow.promise }) });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  const cards = page.querySelectorAll('.candidate');
  await tap(cards[1], '.btn-select');
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(1);
  await tap(cards[1], '.btn-select');
  await tap(cards[2], '.btn-select');
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(1);
  slow.resolve(ok({ ...fx.makeupBooked, completion_type: 'full', compensation_created: 0 }, 201));
  await flush();
  expect(wx.redirectTo).toHaveBeenCalledTimes(1);
  expect(page.data.busy).toBe(false);
});

test('the booking answer is lost but the makeup was booked: no second booking, straight to it', async () => {
  let pendingCalls = 0;
  const { server } = installWx({
    routes: routes({
      'GET /api/v1/makeup/pending': () =>
        ok({ items: pendingCalls++ === 0 ? fx.pendingMakeups : [{ ...fx.pendingMakeups[0], status: 'booked' }] }),
      'POST /api/v1/makeup/book': NETWORK_DOWN,
      'GET /api/v1/makeup/my': ok({ items: [fx.makeup({ makeup_booking_id: 44, pending_id: 21 })] }),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[1], '.btn-select');
  await flush();
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(1);
  expect(server.callsTo('GET', '/api/v1/makeup/my')[0].data).toEqual({ status: 'booked' });
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/detail?id=44' });
});

test('the booking answer is lost and nothing was booked: the parent is told, the list stays', async () => {
  const { server } = installWx({ routes: routes({ 'POST /api/v1/makeup/book': NETWORK_DOWN }) });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[1], '.btn-select');
  await flush();
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(1);
  expect(wx.redirectTo).not.toHaveBeenCalled();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不给力，请检查网络后重试' }));
  expect(page.data.busy).toBe(false);
  expect(page.querySelectorAll('.candidate')).toHaveLength(4);
});

test('filters go to the server; location/coach choices come from the results', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(page.querySelectorAll('.location').map((c) => c.dom.textContent)).toEqual(['浦东馆', '徐汇馆']);
  expect(page.querySelectorAll('.coach').map((c) => c.dom.textContent)).toEqual(['王教练', '李教练']);
  await tap(page.querySelectorAll('.range')[1]);
  await tap(page.querySelectorAll('.time')[3]);
  server.routes['GET /api/v1/makeup/available'] = ok({ items: [] });
  await tap(page.querySelectorAll('.location')[1]);
  const last = server.callsTo('GET', '/api/v1/makeup/available').pop().data;
  expect(last).toEqual({ pending_id: 21, date_from: '2026-11-23', date_to: '2026-12-06', time_of_day: 'evening', location: '徐汇馆' });
  expect(allText(page)).toContain('暂无符合条件的补课课程');
  expect(page.querySelectorAll('.location')).toHaveLength(2);
  await tap(page.querySelectorAll('.location')[1]);
  expect(server.callsTo('GET', '/api/v1/makeup/available').pop().data.location).toBeUndefined();
});

test('a shorter class: the 40908 sentence is shown in a modal and confirming resubmits with accept_shorter', async () => {
  const message = '本课程仅1小时30分钟，比您原课程少30分钟，是否确认预约？';
  const { server } = installWx({
    routes: routes({
      'POST /api/v1/makeup/book': (req) =>
        (req.data.accept_shorter ? ok(fx.makeupBooked, 201) : fail(409, 40908, message)),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[0], '.btn-select');
  await flush();
  expect(wx.showModal.mock.calls[0][0]).toMatchObject({ content: message, confirmText: '确认预约' });
  const posts = server.callsTo('POST', '/api/v1/makeup/book');
  expect(posts[0].data).toEqual({ pending_id: 21, course_schedule_id: 201, booking_date: '2026-11-25' });
  expect(posts[1].data).toEqual({ pending_id: 21, course_schedule_id: 201, booking_date: '2026-11-25', accept_shorter: true });
  const url = wx.redirectTo.mock.calls[0][0].url;
  expect(url).toMatch(/^\/pages\/makeup\/success\?id=41&course=/);
  expect(url).toContain(`course=${encodeURIComponent('少儿体操基础班')}`);
  expect(url).toContain('type=partial&created=30');
});

test('refusing the shorter class books nothing', async () => {
  const { server } = installWx({
    modalConfirm: false,
    routes: routes({ 'POST /api/v1/makeup/book': fail(409, 40908, '本课程仅1小时，比您原课程少1小时，是否确认预约？') }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[2], '.btn-select');
  expect(server.callsTo('POST', '/api/v1/makeup/book')).toHaveLength(1);
  expect(wx.redirectTo).not.toHaveBeenCalled();
  expect(page.data.busy).toBe(false);
});

test('a class that filled up between the list and the tap offers its waitlist', async () => {
  const { server } = installWx({
    subscribe: { errMsg: 'ok', 'tpl-spot-available': 'accept' },
    routes: routes({
      'POST /api/v1/makeup/book': fail(409, 40906, '课程已满员，是否加入候补'),
      'POST /api/v1/notifications/grants': ok({ recorded: 1 }),
      'POST /api/v1/waitlist/join': ok({ waitlist_id: 60, position: 2 }, 201),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[1], '.btn-select');
  await flush();
  expect(wx.showModal.mock.calls[0][0]).toMatchObject({ content: '课程已满员，是否加入候补', confirmText: '加入候补' });
  expect(server.callsTo('POST', '/api/v1/waitlist/join')[0].data).toEqual({ profile_id: 1, course_schedule_id: 202, booking_date: '2026-11-27', pending_id: 21 });
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您是第2位候补' }));
});

test('with credits, a longer class can be paid from compensation when the parent ticks the box', async () => {
  const longer = fx.makeupSession({ course_schedule_id: 204, booking_date: '2026-11-29', duration_minutes: 150, duration_difference: -30, hint: '' });
  const { server } = installWx({
    routes: routes({
      'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
      'GET /api/v1/makeup/available': ok({ items: [fx.availableMakeups[1], longer] }),
      'POST /api/v1/makeup/book': ok({ ...fx.makeupBooked, completion_type: 'extra', compensation_created: 0, compensation_used: 30 }, 201),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(allText(page)).toContain('多出的时长用课时补偿抵扣（可用1小时30分钟）');
  const cards = page.querySelectorAll('.candidate');
  expect(text(cards[1], '.hint')).toBe('补课时长比原课程多30分钟');
  await tap(cards[1], '.btn-select');
  expect(server.callsTo('POST', '/api/v1/makeup/book')[0].data.use_compensation).toBeUndefined();
  await tap(page, '.use-comp');
  await tap(cards[1], '.btn-select');
  await tap(cards[0], '.btn-select');
  const posts = server.callsTo('POST', '/api/v1/makeup/book');
  expect(posts[1].data).toEqual({ pending_id: 21, course_schedule_id: 204, booking_date: '2026-11-29', use_compensation: true });
  expect(posts[2].data.use_compensation).toBeUndefined();
});

test('no compensation choice without credits or without a longer class', async () => {
  const longer = fx.makeupSession({ course_schedule_id: 204, duration_minutes: 150, duration_difference: -30 });
  installWx({ routes: routes({ 'GET /api/v1/makeup/available': ok({ items: [longer] }) }) });
  const noCredits = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(noCredits.querySelector('.use-comp')).toBeUndefined();
  installWx({ routes: routes({ 'GET /api/v1/compensation/balance': ok(fx.compensationBalance) }) });
  const noLonger = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(noLonger.querySelector('.use-comp')).toBeUndefined();
});

test('other booking errors are shown and the list reloads', async () => {
  const { server } = installWx({ routes: routes({ 'POST /api/v1/makeup/book': fail(409, 40910, '该时间段已有其他课程') }) });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[1], '.btn-select');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该时间段已有其他课程' }));
  expect(server.callsTo('GET', '/api/v1/makeup/available')).toHaveLength(2);
  expect(wx.hideLoading).toHaveBeenCalled();
});

test('unknown or already booked pending → empty; candidates failing → inline error', async () => {
  installWx({ routes: routes() });
  expect(allText(await mountPage('pages/makeup/select', { pending_id: '22' }))).toContain('这条待补课已安排或不存在');
  installWx({ routes: routes({ 'GET /api/v1/makeup/available': fail(503, 50300, '服务暂时不可用') }) });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  expect(allText(page)).toContain('补课课程加载失败');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '服务暂时不可用' }));
});

test('waiting for a shorter full class: the server’s question is asked, then the join carries accept_shorter', async () => {
  const shorterFull = fx.makeupSession({
    ...fx.availableMakeups[3], course_schedule_id: 206, duration_minutes: 90, duration_difference: 30, hint: '补课时长比原课程少30分钟',
  });
  const message = '本课程仅1小时30分钟，比您原课程少30分钟，是否确认预约？';
  const { server } = installWx({
    routes: routes({
      'GET /api/v1/makeup/available': ok({ items: [shorterFull] }),
      'POST /api/v1/waitlist/join': (req) =>
        (req.data.accept_shorter ? ok({ waitlist_id: 62, position: 1, waitlist_count: 1, waitlist_capacity: 8, estimated_wait_time: '' }, 201) : fail(409, 40908, message)),
    }),
  });
  const page = await mountPage('pages/makeup/select', { pending_id: '21' });
  await tap(page.querySelectorAll('.candidate')[0], '.btn-select');
  await flush();
  expect(wx.showModal.mock.calls[0][0]).toMatchObject({ content: message, confirmText: '确认候补' });
  const joins = server.callsTo('POST', '/api/v1/waitlist/join').map((c) => c.data);
  expect(joins).toEqual([
    { profile_id: 1, course_schedule_id: 206, booking_date: '2026-11-29', pending_id: 21 },
    { profile_id: 1, course_schedule_id: 206, booking_date: '2026-11-29', pending_id: 21, accept_shorter: true },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您是第1位候补' }));
});
