// Words and destinations for the notification types of design N1.
const { go } = require('./tabs');

const TYPES = {
  spot_available: { label: '名额空出', color: 'danger' },
  seat_taken: { label: '名额已被抢占', color: 'default' },
  hold_for_you: { label: '名额为您保留', color: 'danger' },
  offer_expired: { label: '确认已过期', color: 'default' },
  waitlist_expired: { label: '候补已截止', color: 'default' },
  position_changed: { label: '候补位置更新', color: 'primary' },
  // issue 18: an auto-accept entry got its seat and was booked; the parent may cancel it
  seat_confirmed: { label: '已自动预约', color: 'success' },
  makeup_booked: { label: '补课预约成功', color: 'success' },
  makeup_cancelled: { label: '补课已取消', color: 'default' },
  compensation_expiring: { label: '补偿即将过期', color: 'warning' },
};

/** @param {string} type */
function typeInfo(type) {
  return /** @type {any} */ (TYPES)[type] || { label: '通知', color: 'default' };
}

/**
 * Where tapping a notification takes the parent: the page the server put in `data.page`
 * (a path registered in app.json, with its query), else one chosen by type.
 * @param {{type: string, data?: any}} n
 */
function targetUrl(n) {
  const data = n.data || {};
  if (typeof data.page === 'string' && data.page) return `/${data.page.replace(/^\/+/, '')}`;
  switch (n.type) {
    case 'spot_available':
    case 'hold_for_you':
      return data.waitlist_id ? `/pages/waitlist/offer?id=${data.waitlist_id}` : '/pages/waitlist/index';
    case 'seat_taken':
    case 'seat_confirmed':
    case 'offer_expired':
    case 'waitlist_expired':
    case 'position_changed':
      return data.waitlist_id ? `/pages/waitlist/detail?id=${data.waitlist_id}` : '/pages/waitlist/index';
    case 'makeup_booked':
    case 'makeup_cancelled':
      return data.makeup_booking_id ? `/pages/my-bookings/makeup/detail?id=${data.makeup_booking_id}` : '/pages/my-bookings/makeup/index';
    case 'compensation_expiring':
      return '/pages/makeup/compensation';
    default:
      return '';
  }
}

/**
 * L1: the one-tap way out of the queue a waitlist notice carries (`data.leave_page`), or ''.
 * @param {any} n
 */
function leaveUrl(n) {
  const page = n && n.data && n.data.leave_page;
  return typeof page === 'string' && page ? `/${page.replace(/^\/+/, '')}` : '';
}

module.exports = { typeInfo, targetUrl, leaveUrl, go, TYPES };
