const { installWx, ok, fail } = require('../helpers/wx-mock');
const fx = require('../fixtures');

let subscribe;
let club;
beforeEach(() => {
  jest.isolateModules(() => {
    subscribe = require('../../utils/subscribe');
    club = require('../../utils/club');
  });
});

const clubRoute = (subscribeConfig = fx.clubProfile.subscribe) => ({ 'GET /api/v1/club': ok({ ...fx.clubProfile, subscribe: subscribeConfig }) });

test('asks for the waitlist moment’s templates from GET /api/v1/club and reports the answers minus errMsg', async () => {
  const [spot, hold, taken] = fx.clubProfile.subscribe.moments.waitlist_join;
  const answer = { errMsg: 'requestSubscribeMessage:ok', [spot]: 'accept', [hold]: 'reject', [taken]: 'ban' };
  const { server, wx } = installWx({
    subscribe: answer,
    routes: { ...clubRoute(), 'POST /api/v1/notifications/grants': ok({ recorded: 3, remaining: { [spot]: 1 } }) },
  });
  await club.load();
  const reported = subscribe.requestWaitlistGrants();
  // called synchronously: WeChat only shows the request inside the tap handler
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tpl-spot-available', 'tpl-hold-for-you', 'tpl-seat-taken']);
  await expect(reported).resolves.toEqual({ [spot]: 'accept', [hold]: 'reject', [taken]: 'ban' });
  expect(server.callsTo('POST', '/api/v1/notifications/grants')[0].data).toEqual({
    results: { 'tpl-spot-available': 'accept', 'tpl-hold-for-you': 'reject', 'tpl-seat-taken': 'ban' },
  });
});

test('the makeup moment asks for makeup cancelled, credit expiring and makeup booked', async () => {
  const { wx } = installWx({ routes: clubRoute() });
  await club.load();
  await subscribe.requestMakeupGrants();
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tpl-makeup-cancelled', 'tpl-credit-expiring', 'tpl-makeup-booked']);
});

test('no template ids (WeChat off on the server), or the club not loaded: nothing is asked', async () => {
  const { wx, server } = installWx({ routes: clubRoute({ templates: {}, moments: { waitlist_join: [], makeup_book: [] } }) });
  await expect(subscribe.requestWaitlistGrants()).resolves.toBeNull();
  await club.load();
  await expect(subscribe.requestWaitlistGrants()).resolves.toBeNull();
  expect(wx.requestSubscribeMessage).not.toHaveBeenCalled();
  expect(server.callsTo('POST', '/api/v1/notifications/grants')).toHaveLength(0);
});

test('never more than three ids in one request (WeChat’s limit)', async () => {
  const many = { templates: {}, moments: { waitlist_join: ['a1', 'a2', 'a3', 'a4'], makeup_book: [] } };
  const { wx } = installWx({ routes: clubRoute(many) });
  await club.load();
  await subscribe.requestWaitlistGrants();
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['a1', 'a2', 'a3']);
});

test('ids known from the previous launch are used before this launch’s club answer arrives', async () => {
  const { wx, store } = installWx({ routes: {} });
  store.set('club_profile', fx.clubProfile);
  await subscribe.requestWaitlistGrants();
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
});

test('a refused request reports nothing and never rejects', async () => {
  const { server } = installWx({ subscribe: 'fail', routes: clubRoute() });
  await club.load();
  await expect(subscribe.requestWaitlistGrants()).resolves.toBeNull();
  expect(server.callsTo('POST', '/api/v1/notifications/grants')).toHaveLength(0);
});

test('a failing grants report does not break the caller', async () => {
  installWx({
    subscribe: { errMsg: 'ok', 'tpl-spot-available': 'filter' },
    routes: { ...clubRoute(), 'POST /api/v1/notifications/grants': fail(503, 50300, '服务暂不可用') },
  });
  await club.load();
  await expect(subscribe.requestWaitlistGrants()).resolves.toEqual({ 'tpl-spot-available': 'filter' });
});
