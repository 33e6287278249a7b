const fs = require('fs');
const path = require('path');
const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mount, text, tap, flush, ROOT } = require('../helpers/mount');
const fx = require('../fixtures');

test('a customer-service button (open-type="contact") and the club’s phone from GET /api/v1/club', async () => {
  installWx({ routes: { 'GET /api/v1/club': ok(fx.clubProfile) } });
  const comp = mount('components/contact-bar/contact-bar', { text: '找不到合适的时间？' });
  await flush();
  expect(text(comp, '.contact-text')).toBe('找不到合适的时间？');
  expect(text(comp, '.contact-chat')).toBe('在线联系运营');
  expect(text(comp, '.contact-phone')).toBe('电话 021-58886666');
  await tap(comp, '.contact-phone');
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '021-58886666' }));
  // the built-in button's open-type does not reach simulate's DOM: check the template itself
  const wxml = fs.readFileSync(path.join(ROOT, 'components/contact-bar/contact-bar.wxml'), 'utf8');
  expect(wxml).toMatch(/<button[^>]*class="contact-chat"[^>]*open-type="contact"/);
});

test('without the club (offline) the chat button stays and no phone is made up', async () => {
  installWx({ routes: { 'GET /api/v1/club': fail(503, 50300, '服务暂时不可用') } });
  const comp = mount('components/contact-bar/contact-bar');
  await flush();
  expect(text(comp, '.contact-chat')).toBe('在线联系运营');
  expect(comp.querySelector('.contact-phone')).toBeUndefined();
});
