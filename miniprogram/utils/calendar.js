// 日历同步: puts a class into the phone's calendar (wx.addPhoneCalendar), reminding an hour before.
const time = require('./time');

/**
 * @param {{title: string, startsAt: string, minutes?: number, endsAt?: string, location?: string, description?: string}} event
 * @returns {Promise<boolean>} true when the phone added it (false: refused, or no start time)
 */
function addClass(event) {
  const start = time.toMs(event.startsAt);
  if (Number.isNaN(start)) return Promise.resolve(false);
  const endMs = event.endsAt ? time.toMs(event.endsAt) : start + (Number(event.minutes) || 0) * 60000;
  return new Promise((resolve) => {
    wx.addPhoneCalendar({
      title: event.title,
      startTime: Math.floor(start / 1000),
      endTime: String(Math.floor((Number.isNaN(endMs) ? start : endMs) / 1000)),
      location: event.location || '',
      description: event.description || '',
      alarm: true,
      alarmOffset: 3600,
      success: () => resolve(true),
      fail: () => resolve(false),
    });
  });
}

module.exports = { addClass };
