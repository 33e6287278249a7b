const { installWx, ok, fail, deferred } = require('../helpers/wx-mock');
const { mountPage, allText, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

const fill = async (page, name, levelIndex) => {
  const form = page.querySelector('.child-form');
  form.querySelector('.name-input').dispatchEvent('input', { detail: { value: name } });
  await tap(form.querySelectorAll('.level')[levelIndex]);
  return form;
};

test('lists each child with its level; adding one creates it, remembers it and shows it', async () => {
  let list = fx.profiles;
  const { server, store } = installWx({
    routes: {
      'GET /api/v1/profiles': () => ok({ items: list }),
      'POST /api/v1/profiles': (req) => {
        list = list.concat([{ id: 3, ...req.data }]);
        return ok({ id: 3 }, 201);
      },
    },
  });
  const page = await mountPage('pages/profiles/index');
  expect(page.querySelectorAll('.kid-name').map((k) => k.dom.textContent)).toEqual(['小明', '小红']);
  expect(allText(page)).toContain('我的孩子（2）');
  expect(allText(page)).toContain('L3');
  const form = await fill(page, '小刚', 4);
  await tap(form, '.btn-save');
  await flush();
  expect(server.callsTo('POST', '/api/v1/profiles')[0].data).toEqual({ name: '小刚', level: 5 });
  expect(store.get('selected_profile_id')).toBe(3);
  expect(page.querySelectorAll('.kid-name').map((k) => k.dom.textContent)).toEqual(['小明', '小红', '小刚']);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已添加小刚', icon: 'success' });
  expect(form.data.name).toBe('');
});

test('a 400 from the server shows under the form; a double tap creates one child', async () => {
  const slow = deferred();
  const { server } = installWx({
    routes: { 'GET /api/v1/profiles': ok({ items: [] }), 'POST /api/v1/profiles': () => slow.promise },
  });
  const page = await mountPage('pages/profiles/index');
  expect(allText(page)).toContain('还没有添加孩子');
  const form = await fill(page, '小明', 0);
  await tap(form, '.btn-save');
  await tap(form, '.btn-save');
  expect(server.callsTo('POST', '/api/v1/profiles')).toHaveLength(1);
  slow.resolve(fail(400, 40000, '名字不能超过50个字', { field: 'name' }));
  await flush();
  expect(allText(form)).toContain('名字不能超过50个字');
});
