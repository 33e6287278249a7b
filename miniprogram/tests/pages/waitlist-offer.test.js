const { installWx, ok, fail, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (extra = {}) => ({ 'GET /api/v1/waitlist/my': ok({ items: fx.waitlist }), ...extra });

test('offer → begin → confirm → won', async () => {
  const { server } = installWx({
    routes: routes({
      'PUT /api/v1/waitlist/11/respond': (req) =>
        (req.data.action === 'begin'
          ? ok({ verdict: 'began', grace_until: '2026-11-23T12:47:00+08:00' })
          : ok({ verdict: 'won', booking_id: 501 })),
    }),
  });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  expect(text(page, '.stage-title')).toBe('有名额空出！');
  expect(allText(page)).toContain('先确认者得。还剩5分钟决策时间');
  expect(allText(page)).toContain('剩余确认时间05:00');

  jest.advanceTimersByTime(60 * 1000);
  expect(allText(page)).toContain('还剩4分钟决策时间');

  await tap(page, '.btn-begin');
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')[0].data).toEqual({ action: 'begin' });
  // the grace period (12:47) outlasts the deadline (12:45): the countdown follows it
  expect(text(page, '.stage-title')).toBe('确认预约？还剩6分钟决策时间');
  expect(allText(page)).toContain('06:00');

  await tap(page, '.btn-confirm');
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')[1].data).toEqual({ action: 'confirm' });
  expect(text(page, '.verdict-title')).toBe('预约成功');
  expect(text(page, '.verdict-text')).toBe('已为小明预约「亲子体操」（11月24日 周二 16:00），请准时上课。');
  expect(page.querySelector('.timer')).toBeUndefined();
  expect(jest.getTimerCount()).toBe(0);
});

test('someone else was faster → 名额已被抢占', async () => {
  installWx({ routes: routes({ 'PUT /api/v1/waitlist/11/respond': fail(409, 40907, '名额已被抢占', { verdict: 'taken' }) }) });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  await tap(page, '.btn-begin');
  expect(text(page, '.verdict-title')).toBe('名额已被抢占');
  expect(allText(page)).toContain('您仍在候补队列中');
  await tap(page, '.btn-my');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/waitlist/index' });
});

test('a late confirm → 410 with the expiry sentence', async () => {
  installWx({
    routes: routes({
      'PUT /api/v1/waitlist/11/respond': fail(410, 41000, '候补确认已过期，名额已顺位给下一位候补用户', { verdict: 'expired' }),
    }),
  });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  await tap(page, '.btn-begin');
  expect(text(page, '.verdict-text')).toBe('候补确认已过期，名额已顺位给下一位候补用户');
});

test('the countdown running out ends the offer on screen', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  jest.advanceTimersByTime(5 * 60 * 1000);
  await flush();
  expect(text(page, '.verdict-title')).toBe('确认已过期');
  expect(text(page, '.verdict-text')).toBe('候补确认已过期，名额已顺位给下一位候补用户');
  expect(page.querySelector('.btn-begin')).toBeUndefined();
});

test('declining asks first and keeps the place in the queue', async () => {
  const { server } = installWx({ routes: routes({ 'PUT /api/v1/waitlist/11/respond': ok({ verdict: 'declined' }) }) });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  await tap(page, '.btn-decline');
  expect(wx.showModal).toHaveBeenCalled();
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')[0].data).toEqual({ action: 'decline' });
  expect(text(page, '.verdict-title')).toBe('已放弃本次名额');
});

test('a network failure during confirm keeps the flow open and tells the parent', async () => {
  installWx({ routes: routes({ 'PUT /api/v1/waitlist/11/respond': NETWORK_DOWN }) });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  await tap(page, '.btn-begin');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不给力，请检查网络后重试' }));
  expect(page.data.phase).toBe('offer');
  expect(page.data.busy).toBe(false);
});

test('entries without an offer: waiting, confirmed, expired, unknown', async () => {
  installWx({ routes: routes() });
  expect(allText(await mountPage('pages/waitlist/offer', { id: '12' }))).toContain('当前没有待确认的名额');
  expect(text(await mountPage('pages/waitlist/offer', { id: '13' }), '.verdict-title')).toBe('预约成功');
  expect(text(await mountPage('pages/waitlist/offer', { id: '14' }), '.verdict-title')).toBe('确认已过期');
  expect(allText(await mountPage('pages/waitlist/offer', { id: '99' }))).toContain('找不到这条候补记录');
});

test('a hold offer says the seat is kept for this parent', async () => {
  const held = { ...fx.waitlist[0], offer: { kind: 'hold', deadline: '2026-11-23T12:50:00+08:00', grace_until: null } };
  installWx({ routes: { 'GET /api/v1/waitlist/my': ok({ items: [held] }) } });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  expect(text(page, '.stage-title')).toBe('名额为您保留中');
  expect(allText(page)).toContain('还剩10分钟决策时间');
});

describe('the state a real phone meets', () => {
  const config = require('../../config');
  const { deferred, once, NETWORK_DOWN: DOWN } = require('../helpers/wx-mock');
  const noOffer = { ...fx.waitlist[0], offer: null };

  test('another parent confirms while the page is open: the next check shows 名额已被抢占 instead of a dead button', async () => {
    const { server } = installWx({ routes: routes() });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    expect(page.querySelector('.btn-begin')).toBeDefined();
    server.routes['GET /api/v1/waitlist/my'] = ok({ items: [noOffer] });
    jest.advanceTimersByTime(config.offerPollMs);
    await flush();
    expect(page.querySelector('.btn-begin')).toBeUndefined();
    expect(text(page, '.verdict-title')).toBe('名额已被抢占');
    expect(jest.getTimerCount()).toBe(0);
    expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')).toHaveLength(0);
  });

  test('coming back to the page re-checks the offer', async () => {
    const { server } = installWx({ routes: routes() });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    page.instance.onHide();
    server.routes['GET /api/v1/waitlist/my'] = ok({ items: [{ ...fx.waitlist[0], status: 'confirmed', offer: null }] });
    page.instance.onShow();
    await flush();
    expect(text(page, '.verdict-title')).toBe('预约成功');
  });

  test('a confirm the server no longer expects (not_offered) refreshes to the real state', async () => {
    const { server } = installWx({
      routes: routes({ 'PUT /api/v1/waitlist/11/respond': fail(409, 40900, '当前没有可确认的名额', { verdict: 'not_offered' }) }),
    });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    server.routes['GET /api/v1/waitlist/my'] = ok({ items: [noOffer] });
    await tap(page, '.btn-begin');
    expect(text(page, '.verdict-title')).toBe('名额已被抢占');
  });

  test('taps while the answer is on its way send nothing more', async () => {
    const slow = deferred();
    const { server } = installWx({ routes: routes({ 'PUT /api/v1/waitlist/11/respond': () => slow.promise }) });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    await tap(page, '.btn-begin');
    await tap(page, '.btn-begin');
    page.instance.onBegin();
    await tap(page, '.btn-decline');
    expect(wx.showModal).not.toHaveBeenCalled();
    slow.resolve(ok({ verdict: 'began', grace_until: '2026-11-23T12:47:00+08:00' }));
    await flush();
    expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')).toHaveLength(1);
    expect(page.data.phase).toBe('confirm');
  });

  test('the connection drops on confirm, but the seat was won: the page finds out and says 预约成功', async () => {
    const { server } = installWx({
      routes: routes({
        'PUT /api/v1/waitlist/11/respond': (req) => (req.data.action === 'begin' ? ok({ verdict: 'began', grace_until: null }) : DOWN),
      }),
    });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    await tap(page, '.btn-begin');
    server.routes['GET /api/v1/waitlist/my'] = ok({ items: [{ ...fx.waitlist[0], status: 'confirmed', offer: null }] });
    await tap(page, '.btn-confirm');
    await flush();
    // the request layer tried the (idempotent) confirm twice, then the page asked for the state
    expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond').filter((c) => c.data.action === 'confirm')).toHaveLength(2);
    expect(text(page, '.verdict-title')).toBe('预约成功');
  });

  test('a confirm whose first attempt is lost goes through on the repeat', async () => {
    installWx({
      routes: routes({ 'PUT /api/v1/waitlist/11/respond': once(DOWN, ok({ verdict: 'won', booking_id: 501 })) }),
    });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    await tap(page, '.btn-begin');
    expect(text(page, '.verdict-title')).toBe('预约成功');
  });

  test('the broadcast ends but the seat is now held for this parent: the page shows the hold', async () => {
    const { server } = installWx({ routes: routes() });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    server.routes['GET /api/v1/waitlist/my'] = ok({
      items: [{ ...fx.waitlist[0], offer: { ...fx.offer, kind: 'hold', deadline: '2026-11-23T13:00:00+08:00' } }],
    });
    jest.advanceTimersByTime(5 * 60 * 1000);
    await flush();
    expect(text(page, '.stage-title')).toBe('名额为您保留中');
    expect(page.querySelector('.btn-begin')).toBeDefined();
  });

  test('an offer without a deadline is still an offer (the countdown is left out)', async () => {
    installWx({ routes: { 'GET /api/v1/waitlist/my': ok({ items: [{ ...fx.waitlist[0], offer: { ...fx.offer, deadline: null } }] }) } });
    const page = await mountPage('pages/waitlist/offer', { id: '11' });
    expect(page.querySelector('.btn-begin')).toBeDefined();
    expect(allText(page)).not.toContain('剩余确认时间');
  });
});

test('the page a WeChat offer message opens links the one-tap leave page (L1)', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/offer', { id: '11' });
  expect(text(page, '.leave-queue')).toBe('不再需要？退出候补');
  await tap(page, '.leave-queue');
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/waitlist/leave?id=11' }));
});

describe('issue 18: a family confirms one offer', () => {
  const offered = fx.entry({ ...fx.familyWaiting, status: 'notified', offer: fx.offer });
  const confirmRoute = (reply) => (req) => (req.data.action === 'begin'
    ? ok({ verdict: 'began', grace_until: '2026-11-23T12:47:00+08:00' })
    : ok(reply));

  test('seats for everyone: both children are named', async () => {
    installWx({
      routes: {
        'GET /api/v1/waitlist/my': ok({ items: [offered] }),
        'PUT /api/v1/waitlist/16/respond': confirmRoute({ verdict: 'won', booking_id: 501, grace_until: null, booking_ids: [501, 502] }),
      },
    });
    const page = await mountPage('pages/waitlist/offer', { id: '16' });
    expect(text(page, '.sub')).toBe('小明、小红（2人） · 11月23日 周一 19:00');
    await tap(page, '.btn-begin');
    await tap(page, '.btn-confirm');
    expect(text(page, '.verdict-title')).toBe('预约成功');
    expect(text(page, '.verdict-text')).toBe('已为小明、小红（2人）预约「少儿体操基础班」（11月23日 周一 19:00），请准时上课。');
  });

  test('fewer seats than children: the entry, read again, says who was booked', async () => {
    const after = fx.entry({
      ...offered, status: 'confirmed', offer: null, position: null, booking_ids: [501],
      children: [{ ...offered.children[0], booking_id: 501 }, offered.children[1]],
    });
    let reads = 0;
    const { server } = installWx({
      routes: {
        'GET /api/v1/waitlist/my': () => ok({ items: [reads++ === 0 ? offered : after] }),
        'PUT /api/v1/waitlist/16/respond': confirmRoute({ verdict: 'won', booking_id: 501, grace_until: null, booking_ids: [501] }),
      },
    });
    const page = await mountPage('pages/waitlist/offer', { id: '16' });
    await tap(page, '.btn-begin');
    await tap(page, '.btn-confirm');
    await flush();
    expect(server.callsTo('GET', '/api/v1/waitlist/my').length).toBeGreaterThanOrEqual(2);
    expect(text(page, '.verdict-title')).toBe('已为部分孩子预约');
    expect(text(page, '.verdict-text')).toBe('名额只空出1个，已为小明预约「少儿体操基础班」（11月23日 周一 19:00）；小红继续候补，保留原来的排位。');
  });
});
