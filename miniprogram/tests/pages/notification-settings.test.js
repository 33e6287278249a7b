const { installWx, ok } = require('../helpers/wx-mock');
const { mountPage, allText, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

const routes = (club = fx.clubProfile) => ({
  'GET /api/v1/club': ok(club),
  'POST /api/v1/notifications/grants': ok({ recorded: 3, remaining: {} }),
});
const states = (page) => page.querySelectorAll('.state').map((s) => s.dom.textContent);

test('which messages are on, from wx.getSetting({withSubscriptions: true}).itemSettings', async () => {
  installWx({
    routes: routes(),
    setting: { mainSwitch: true, itemSettings: { 'tpl-spot-available': 'accept', 'tpl-seat-taken': 'reject', 'tpl-makeup-booked': 'ban' } },
  });
  const page = await mountPage('pages/settings/notifications');
  expect(wx.getSetting).toHaveBeenCalledWith(expect.objectContaining({ withSubscriptions: true }));
  expect(page.querySelectorAll('.section-title').map((s) => s.dom.textContent)).toEqual(['候补提醒', '补课提醒', '自动预约提醒']);
  // spot, hold, taken | booked, cancelled, expiring | booked for you (auto-accept)
  expect(states(page)).toEqual(['总是接收', '每次询问', '已关闭', '已被微信关闭', '每次询问', '每次询问', '每次询问']);
  expect(page.querySelectorAll('.btn-ask')).toHaveLength(3);
});

test('asking again requests that group’s templates in the tap and reports the answers', async () => {
  const { server } = installWx({
    routes: routes(),
    subscribe: { errMsg: 'ok', 'tpl-makeup-cancelled': 'accept', 'tpl-credit-expiring': 'accept', 'tpl-makeup-booked': 'reject' },
  });
  const page = await mountPage('pages/settings/notifications');
  page.instance.onAsk({ currentTarget: { dataset: { moment: 'makeup_book' } } });
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tpl-makeup-cancelled', 'tpl-credit-expiring', 'tpl-makeup-booked']);
  await flush();
  await flush();
  expect(server.callsTo('POST', '/api/v1/notifications/grants')[0].data.results).toEqual({
    'tpl-makeup-cancelled': 'accept', 'tpl-credit-expiring': 'accept', 'tpl-makeup-booked': 'reject',
  });
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已开启2项提醒', icon: 'none' });
  expect(wx.getSetting).toHaveBeenCalledTimes(2);
});

test('all subscriptions switched off in WeChat: says so and opens the settings', async () => {
  installWx({ routes: routes(), setting: { mainSwitch: false, itemSettings: {} } });
  const page = await mountPage('pages/settings/notifications');
  expect(allText(page)).toContain('您在微信里关闭了本小程序的全部订阅消息');
  expect(page.querySelectorAll('.btn-ask')).toHaveLength(0);
  await tap(page, '.btn-setting');
  expect(wx.openSetting).toHaveBeenCalledWith(expect.objectContaining({ withSubscriptions: true }));
});

test('WeChat sending off on the server (no templates): the in-app centre is pointed to, nothing is asked', async () => {
  installWx({ routes: routes({ ...fx.clubProfile, subscribe: { templates: {}, moments: { waitlist_join: [], makeup_book: [] } } }) });
  const page = await mountPage('pages/settings/notifications');
  expect(allText(page)).toContain('微信提醒暂未开通');
  expect(page.querySelectorAll('.btn-ask')).toHaveLength(0);
  expect(wx.requestSubscribeMessage).not.toHaveBeenCalled();
});
