// The leave page every waitlist message links to (rule L1): it asks once and leaves.
const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

const waiting = fx.waitlist[1];
const routes = (items) => ({ 'GET /api/v1/waitlist/my': ok({ items }) });

test('a waiting entry shows its class and place, asks once, and one tap leaves the queue', async () => {
  const { server } = installWx({
    routes: { ...routes([waiting]), [`DELETE /api/v1/waitlist/${waiting.waitlist_id}`]: ok({ waitlist_id: waiting.waitlist_id, status: 'cancelled' }) },
  });
  const page = await mountPage('pages/waitlist/leave', { id: String(waiting.waitlist_id) });
  expect(text(page, '.name')).toBe('VIP精英班');
  expect(text(page, '.position')).toBe('当前排第2位');
  expect(text(page, '.ask')).toBe('不再需要这个名额了吗？');
  expect(text(page, '.btn-leave')).toBe('确认退出候补');
  await tap(page, '.btn-leave');
  await flush();
  // the page is the question: no second dialog before leaving
  expect(wx.showModal).not.toHaveBeenCalled();
  expect(server.callsTo('DELETE', `/api/v1/waitlist/${waiting.waitlist_id}`)).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已退出候补' }));
  expect(allText(page)).toContain('已退出候补，感谢您把名额留给其他家庭。');
  expect(page.querySelector('.btn-leave')).toBeFalsy();
});

test('an entry that already ended offers nothing to leave', async () => {
  const ended = fx.waitlist[3];
  const { server } = installWx({ routes: routes([ended]) });
  const page = await mountPage('pages/waitlist/leave', { id: String(ended.waitlist_id) });
  expect(allText(page)).toContain('这条候补已结束，无需退出。');
  expect(page.querySelector('.btn-leave')).toBeFalsy();
  await tap(page, '.btn-keep');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/waitlist/index' });
  expect(server.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
});

test('a refused leave says why and shows the entry as it is now', async () => {
  let calls = 0;
  const { server } = installWx({
    routes: {
      'GET /api/v1/waitlist/my': () => ok({ items: [calls++ === 0 ? waiting : { ...waiting, status: 'confirmed', position: null }] }),
      [`DELETE /api/v1/waitlist/${waiting.waitlist_id}`]: fail(409, 40900, '该候补已结束，无需取消'),
    },
  });
  const page = await mountPage('pages/waitlist/leave', { id: String(waiting.waitlist_id) });
  await tap(page, '.btn-leave');
  await flush();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该候补已结束，无需取消' }));
  expect(server.callsTo('GET', '/api/v1/waitlist/my')).toHaveLength(2);
  expect(allText(page)).toContain('这条候补已结束，无需退出。');
});
