const { installWx, ok, fail } = require('../helpers/wx-mock');
const subscribe = require('../../utils/subscribe');
const config = require('../../config');

test('asks for the three waitlist templates from config and reports the result minus errMsg', async () => {
  const result = {
    errMsg: 'requestSubscribeMessage:ok',
    [config.templates.spot_available]: 'accept',
    [config.templates.seat_taken]: 'reject',
    [config.templates.hold_for_you]: 'ban',
  };
  const { server, wx } = installWx({ subscribe: result, routes: { 'POST /api/v1/notifications/grants': ok({ recorded: 3 }) } });
  const reported = await subscribe.requestWaitlistGrants();
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual([
    'TEMPLATE_ID_SPOT_AVAILABLE', 'TEMPLATE_ID_SEAT_TAKEN', 'TEMPLATE_ID_HOLD_FOR_YOU',
  ]);
  const body = server.callsTo('POST', '/api/v1/notifications/grants')[0].data;
  expect(body).toEqual({
    results: { TEMPLATE_ID_SPOT_AVAILABLE: 'accept', TEMPLATE_ID_SEAT_TAKEN: 'reject', TEMPLATE_ID_HOLD_FOR_YOU: 'ban' },
  });
  expect(reported).toEqual(body.results);
});

test('a refused request reports nothing and never rejects', async () => {
  const { server } = installWx({ subscribe: 'fail' });
  await expect(subscribe.requestWaitlistGrants()).resolves.toBeNull();
  expect(server.calls).toHaveLength(0);
});

test('a failing grants report does not break the caller', async () => {
  installWx({
    subscribe: { errMsg: 'ok', TEMPLATE_ID_SPOT_AVAILABLE: 'filter' },
    routes: { 'POST /api/v1/notifications/grants': fail(503, 50300, '服务暂不可用') },
  });
  await expect(subscribe.requestWaitlistGrants()).resolves.toEqual({ TEMPLATE_ID_SPOT_AVAILABLE: 'filter' });
});
