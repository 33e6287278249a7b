const { installWx } = require('../helpers/wx-mock');
const { mount, text } = require('../helpers/mount');

beforeEach(() => installWx());

const status = (props) => mount('components/waitlist-status/waitlist-status', props);

test.each([
  [{ status: 'waiting', position: 2, waitlistCount: 5 }, '候补中 · 第2位', '共5人候补', 'status-primary'],
  [{ status: 'notified', position: 1, hasOffer: true }, '有名额待确认', '名额先到先得，请尽快确认', 'status-danger'],
  // declined, or not the holder during a hold: notified but no offer
  [{ status: 'notified', position: 2, waitlistCount: 3 }, '候补中 · 第2位', '这次的名额已经处理，您的候补位置保留', 'status-primary'],
  [{ status: 'waiting', position: 1, hasOffer: true }, '有名额待确认', '名额先到先得，请尽快确认', 'status-danger'],
  [{ status: 'confirmed' }, '已预约成功', '候补成功，已为您预约', 'status-success'],
  [{ status: 'expired', expirationReason: 'timeout' }, '已过期', '未在确认时限内回复', 'status-default'],
  [{ status: 'expired', expirationReason: 'cutoff', rules: { cutoff_seconds: 14400 } }, '已过期', '开课前4小时候补截止', 'status-default'],
  [{ status: 'expired', expirationReason: 'cutoff' }, '已过期', '候补已截止', 'status-default'],
  [{ status: 'cancelled' }, '已取消', '您已取消候补', 'status-default'],
])('%o → %s', (props, word, detail, cls) => {
  const comp = status(props);
  expect(text(comp, '.status-word')).toBe(word);
  expect(text(comp, '.status-detail')).toBe(detail);
  expect(comp.querySelector(`.${cls}`)).toBeDefined();
});

test('the detail line can be hidden and follows property changes', () => {
  const comp = status({ status: 'waiting', position: 3, waitlistCount: 3, showDetail: false });
  expect(comp.querySelector('.status-detail')).toBeUndefined();
  comp.setData({ position: 1 });
  expect(text(comp, '.status-word')).toBe('候补中 · 第1位');
});
