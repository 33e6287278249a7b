const { installWx, ok, fail, deferred, strictJoin, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

const query = (s) => ({ course_schedule_id: String(s.course_schedule_id), booking_date: s.booking_date });

function routes(sessionList) {
  return {
    'GET /api/v1/club': ok(fx.clubProfile),
    'GET /api/v1/profiles': ok({ items: fx.profiles }),
    'GET /api/v1/sessions': ok({ items: sessionList }),
  };
}

test('a full session shows 已满员, 候补: X/Y人 and 加入候补', async () => {
  const { server } = installWx({ routes: routes([fx.sessions[0]]) });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  expect(server.callsTo('GET', '/api/v1/sessions')[0].data).toEqual({ date_from: '2026-11-23', date_to: '2026-11-23' });
  expect(text(page, '.name')).toBe('少儿体操基础班');
  expect(text(page, '.state-tag')).toBe('已满员');
  expect(text(page, '.waitlist')).toBe('候补: 3/8人');
  expect(text(page, '.main-btn')).toBe('加入候补');
  expect(allText(page)).toContain('11月23日 周一 19:00');
  expect(allText(page)).toContain('¥180');
});

test('joining asks for subscribe messages in the tap, reports grants, joins and shows the position', async () => {
  const joined = fx.session({ waitlist_count: 4, mine: [fx.mine({ state: 'waitlisted', waitlist_id: 30, position: 4 })] });
  let calls = 0;
  const { server } = installWx({
    subscribe: { errMsg: 'requestSubscribeMessage:ok', 'tpl-spot-available': 'accept', 'tpl-hold-for-you': 'accept', 'tpl-seat-taken': 'reject' },
    routes: {
      ...routes([]),
      'GET /api/v1/sessions': () => ok({ items: [calls++ === 0 ? fx.sessions[0] : joined] }),
      'POST /api/v1/notifications/grants': ok({ recorded: 3 }),
      'POST /api/v1/waitlist/join': ok({ waitlist_id: 30, position: 4, waitlist_count: 4, waitlist_capacity: 8, estimated_wait_time: '2-3天' }, 201),
    },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  // the tap handler itself asks (WeChat refuses a request that is not started by the tap)
  page.instance.onAction();
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(fx.clubProfile.subscribe.moments.waitlist_join);
  await flush();
  await flush();
  expect(server.callsTo('POST', '/api/v1/notifications/grants')[0].data.results).toEqual({
    'tpl-spot-available': 'accept', 'tpl-hold-for-you': 'accept', 'tpl-seat-taken': 'reject',
  });
  expect(server.callsTo('POST', '/api/v1/waitlist/join')[0].data).toEqual({ profile_id: 1, course_schedule_id: 101, booking_date: '2026-11-23' });
  const posts = server.calls.filter((c) => c.method === 'POST').map((c) => c.path);
  expect(posts).toEqual(['/api/v1/notifications/grants', '/api/v1/waitlist/join']);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您是第4位候补' }));
  expect(text(page, '.state-tag')).toBe('已候补');
  expect(text(page, '.main-btn')).toBe('取消候补');
  expect(allText(page)).toContain('您是第4位候补，有名额时会第一时间通知您');
  expect(page.data.busy).toBe(false);
});

test('join still happens when the parent refuses the subscribe messages; API errors are shown', async () => {
  const { server } = installWx({
    subscribe: 'fail',
    routes: { ...routes([fx.sessions[0]]), 'POST /api/v1/waitlist/join': fail(409, 40901, '候补队列已满，请选择其他课程') },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  await tap(page, '.main-btn');
  await flush();
  expect(server.callsTo('POST', '/api/v1/notifications/grants')).toHaveLength(0);
  expect(server.callsTo('POST', '/api/v1/waitlist/join')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '候补队列已满，请选择其他课程', icon: 'none' }));
});

test('已候补 → 取消候补 asks first, then leaves the queue', async () => {
  const { server } = installWx({
    routes: { ...routes([fx.sessions[1]]), 'DELETE /api/v1/waitlist/12': ok({ waitlist_id: 12, status: 'cancelled' }) },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[1]));
  expect(text(page, '.state-tag')).toBe('已候补');
  expect(text(page, '.waitlist')).toBe('候补: 2/5人');
  await tap(page, '.main-btn');
  expect(wx.showModal.mock.calls[0][0].content).toContain('确定取消候补吗');
  expect(server.callsTo('DELETE', '/api/v1/waitlist/12')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消候补', icon: 'success' });
});

test('declining the cancel modal keeps the entry', async () => {
  const { server } = installWx({ modalConfirm: false, routes: routes([fx.sessions[1]]) });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[1]));
  await tap(page, '.main-btn');
  expect(server.callsTo('DELETE', '/api/v1/waitlist/12')).toHaveLength(0);
});

test('an offered seat leads to the offer page; an open session books directly', async () => {
  installWx({ routes: routes([fx.sessions[2]]) });
  const offered = await mountPage('pages/sessions/detail', query(fx.sessions[2]));
  expect(text(offered, '.main-btn')).toBe('有名额，立即预约');
  await tap(offered, '.main-btn');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/waitlist/offer?id=11' });

  const { server } = installWx({ routes: { ...routes([fx.sessions[3]]), 'POST /api/v1/bookings': ok({ booking_id: 9 }, 201) } });
  const open = await mountPage('pages/sessions/detail', query(fx.sessions[3]));
  expect(text(open, '.main-btn')).toBe('立即预约');
  await tap(open, '.main-btn');
  expect(server.callsTo('POST', '/api/v1/bookings')[0].data).toEqual({ profile_id: 1, course_schedule_id: 104, booking_date: '2026-11-25' });
  expect(wx.showToast).toHaveBeenCalledWith({ title: '预约成功', icon: 'success' });
});

test('taps while the booking is on its way send nothing more', async () => {
  const slow = deferred();
  const { server } = installWx({ routes: { ...routes([fx.sessions[3]]), 'POST /api/v1/bookings': () => slow.promise } });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[3]));
  await tap(page, '.main-btn');
  await tap(page, '.main-btn');
  page.instance.onAction();
  expect(page.data.busy).toBe(true);
  slow.resolve(ok({ booking_id: 9 }, 201));
  await flush();
  expect(server.callsTo('POST', '/api/v1/bookings')).toHaveLength(1);
  expect(page.data.busy).toBe(false);
});

test('the answer to a booking is lost: the page asks the server and says 预约成功 if it went through — never books twice', async () => {
  const booked = fx.session({ ...fx.sessions[3], booked: 5, seats_left: 3, mine: [fx.mine({ booking_id: 9 })] });
  let listed = 0;
  const { server } = installWx({
    routes: {
      ...routes([]),
      'GET /api/v1/sessions': () => ok({ items: [listed++ === 0 ? fx.sessions[3] : booked] }),
      'POST /api/v1/bookings': NETWORK_DOWN,
    },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[3]));
  await tap(page, '.main-btn');
  await flush();
  expect(server.callsTo('POST', '/api/v1/bookings')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '预约成功', icon: 'success' });
  expect(text(page, '.main-btn')).toBe('已预约');
});

test('lost answer, booking did not happen: the parent is told and can try again', async () => {
  const { server } = installWx({ routes: { ...routes([fx.sessions[3]]), 'POST /api/v1/bookings': NETWORK_DOWN } });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[3]));
  await tap(page, '.main-btn');
  await flush();
  expect(server.callsTo('POST', '/api/v1/bookings')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不给力，请检查网络后重试' }));
  expect(text(page, '.main-btn')).toBe('立即预约');
  expect(page.data.busy).toBe(false);
});

test('the waitlist rule line uses the session’s rules', async () => {
  installWx({ routes: routes([fx.session({ rules: { ...fx.rules, cutoff_seconds: 4 * 3600 } })]) });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  expect(allText(page)).toContain('开课前4小时停止候补');
  expect(allText(page)).not.toContain('6小时');
});

test('disabled states do nothing when tapped', async () => {
  const { server } = installWx({ routes: routes([fx.sessions[4]]) });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[4]));
  expect(text(page, '.main-btn')).toBe('候补已满');
  expect(allText(page)).toContain('候补队列已满，请选择其他课程');
  await tap(page, '.main-btn');
  expect(server.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
});

test('unknown session shows the empty state; failures show the error state', async () => {
  installWx({ routes: routes([]) });
  const missing = await mountPage('pages/sessions/detail', { course_schedule_id: '999', booking_date: '2026-11-23' });
  expect(allText(missing)).toContain('课程不存在或已结束');
  installWx({ routes: { ...routes([]), 'GET /api/v1/profiles': fail(500, 50000, '服务器开小差了') } });
  const broken = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  expect(allText(broken)).toContain('服务器开小差了');
  expect(allText(broken)).toContain('重新加载');
});

test('a join refused for a full queue shows the alternatives as one-tap choices (A1)', async () => {
  const alternatives = [
    { course_schedule_id: 104, booking_date: '2026-11-25', course_name: '少儿体操基础班', level: 2, starts_at: '2026-11-25T19:00:00+08:00',
      coach: '李教练', location: '浦东馆', seats_left: 2, waitlist_count: 0, waitlist_capacity: 8, action: 'book' },
    { course_schedule_id: 105, booking_date: '2026-11-30', course_name: '少儿体操基础班', level: 2, starts_at: '2026-11-30T19:00:00+08:00',
      coach: '王教练', location: '徐汇馆', seats_left: 0, waitlist_count: 1, waitlist_capacity: 8, action: 'waitlist' },
  ];
  const { server } = installWx({
    subscribe: 'fail',
    routes: {
      ...routes([fx.sessions[0]]),
      'POST /api/v1/waitlist/join': (req) =>
        req.data.course_schedule_id === 101
          ? fail(409, 40901, '候补队列已满，请选择其他课程', { alternatives })
          : ok({ waitlist_id: 40, position: 2, waitlist_count: 2, waitlist_capacity: 8, estimated_wait_time: '暂无足够数据' }, 201),
      'POST /api/v1/bookings': ok({ booking_id: 90 }, 201),
    },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  expect(page.querySelector('.alternatives')).toBeFalsy();
  await tap(page, '.main-btn');
  await flush();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '候补队列已满，请选择其他课程' }));
  const choices = page.querySelectorAll('.alternative');
  expect(choices).toHaveLength(2);
  expect(text(page, '.alternatives')).toContain('11月25日 周三 19:00');
  expect(page.querySelectorAll('.alt-action').map((c) => c.dom.textContent)).toEqual(['剩2个名额 · 立即预约', '候补1/8人 · 加入候补']);

  // one tap on a free seat books it for the same child and opens that session
  await tap(choices[0]);
  await flush();
  expect(server.callsTo('POST', '/api/v1/bookings')[0].data).toEqual({ profile_id: 1, course_schedule_id: 104, booking_date: '2026-11-25' });
  expect(wx.redirectTo).toHaveBeenLastCalledWith({ url: '/pages/sessions/detail?course_schedule_id=104&booking_date=2026-11-25' });

  // one tap on a short queue joins it
  await tap(page.querySelectorAll('.alternative')[1]);
  await flush();
  expect(server.callsTo('POST', '/api/v1/waitlist/join')[1].data).toEqual({ profile_id: 1, course_schedule_id: 105, booking_date: '2026-11-30' });
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '您是第2位候补' }));
  expect(wx.redirectTo).toHaveBeenLastCalledWith({ url: '/pages/sessions/detail?course_schedule_id=105&booking_date=2026-11-30' });
});

test('a refusal without alternatives leaves none on the page', async () => {
  installWx({
    routes: { ...routes([fx.sessions[0]]), 'POST /api/v1/waitlist/join': fail(409, 40903, '候补已截止', { alternatives: [] }) },
  });
  const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
  await tap(page, '.main-btn');
  await flush();
  expect(page.querySelector('.alternatives')).toBeFalsy();
});

describe('issue 18: families and auto-accept on the join', () => {
  const joinedOne = { waitlist_id: 30, position: 4, waitlist_count: 4, waitlist_capacity: 8, estimated_wait_time: '2-3天',
    party_size: 1, children: [{ profile_id: 1, profile_name: '小明', booking_id: null }], accept_partial: false, auto_accept: false };
  const joinRoutes = (answer) => ({
    ...routes([fx.sessions[0]]),
    'POST /api/v1/notifications/grants': ok({ recorded: 0 }),
    'POST /api/v1/waitlist/join': strictJoin(answer),
  });

  test('the options: other children as chips, the partial switch only for 2+ children, auto-accept always', async () => {
    installWx({ routes: joinRoutes(ok(fx.familyJoined, 201)) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    expect(page.querySelectorAll('.sibling').map((c) => c.dom.textContent)).toEqual(['小红']);
    expect(page.querySelector('.partial-row')).toBeFalsy();
    expect(text(page, '.auto-row')).toContain('有名额时自动为我预约');
    expect(text(page, '.auto-row')).toContain('名额空出时直接为您预约，无需抢；不需要可随时取消');
    await tap(page, '.sibling');
    expect(text(page, '.sibling')).toBe('✓ 小红');
    expect(text(page, '.family-note')).toBe('小明、小红一起候补，只占1个排队位置（候补人数按2人计）');
    expect(text(page, '.partial-row')).toContain('名额不足时先为部分孩子预约');
    expect(text(page, '.partial-row')).toContain('按小明、小红的顺序先约上');
    expect(text(page, '.main-btn')).toBe('为2个孩子加入候补');
    await tap(page, '.partial-row');
    expect(page.data.acceptPartial).toBe(true);
    // unpicking the sibling hides the switch and forgets it
    await tap(page, '.sibling');
    expect(page.querySelector('.partial-row')).toBeFalsy();
    expect(page.data.acceptPartial).toBe(false);
  });

  test('a family join sends sibling_ids and accept_partial, and says how many children wait', async () => {
    const { server } = installWx({ routes: joinRoutes(ok(fx.familyJoined, 201)) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    await tap(page, '.sibling');
    await tap(page, '.partial-row');
    await tap(page, '.main-btn');
    await flush();
    expect(server.callsTo('POST', '/api/v1/waitlist/join')[0].data).toEqual({
      profile_id: 1, course_schedule_id: 101, booking_date: '2026-11-23', sibling_ids: [2], accept_partial: true,
    });
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已为2个孩子候补，您是第3位' }));
    // the choices are cleared for the next join
    expect(page.data.siblingIds).toEqual([]);
    expect(page.data.acceptPartial).toBe(false);
  });

  test('auto-accept alone adds auto_accept and nothing else', async () => {
    const { server } = installWx({ routes: joinRoutes(ok({ ...joinedOne, auto_accept: true }, 201)) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    await tap(page, '.auto-row');
    await tap(page, '.main-btn');
    await flush();
    expect(server.callsTo('POST', '/api/v1/waitlist/join')[0].data).toEqual({
      profile_id: 1, course_schedule_id: 101, booking_date: '2026-11-23', auto_accept: true,
    });
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您是第4位候补' }));
  });

  test('an auto-accept join asks for the booked-for-you message in the tap (a parent must hear of it)', async () => {
    installWx({ routes: joinRoutes(ok({ ...joinedOne, auto_accept: true }, 201)) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    await tap(page, '.auto-row');
    page.instance.onAction();
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(fx.clubProfile.subscribe.moments.waitlist_auto_join);
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds[0]).toBe(fx.clubProfile.subscribe.templates.seat_confirmed);
    await flush();
  });

  test('one child, switches off: the request is byte-identical to before families', async () => {
    const { server } = installWx({ routes: joinRoutes(ok(joinedOne, 201)) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    await tap(page, '.main-btn');
    await flush();
    expect(JSON.stringify(server.callsTo('POST', '/api/v1/waitlist/join')[0].data)).toBe('{"profile_id":1,"course_schedule_id":101,"booking_date":"2026-11-23"}');
  });

  test('a child already waiting or booked for the session is not offered; choosing the sibling as the child drops it', async () => {
    const kids = [...fx.profiles, { id: 3, name: '小刚', level: 2 }];
    const taken = fx.session({ mine: [fx.mine({ profile_id: 3, state: 'booked', booking_id: 77 })] });
    const { server } = installWx({ routes: { ...joinRoutes(ok(joinedOne, 201)), 'GET /api/v1/profiles': ok({ items: kids }), 'GET /api/v1/sessions': ok({ items: [taken] }) } });
    const page = await mountPage('pages/sessions/detail', query(taken));
    expect(page.querySelectorAll('.sibling').map((c) => c.dom.textContent)).toEqual(['小红']);
    await tap(page, '.sibling');
    page.instance.onProfile({ detail: { id: 2 } });
    await flush();
    expect(page.querySelectorAll('.sibling').map((c) => c.dom.textContent)).toEqual(['小明']);
    await tap(page, '.main-btn');
    await flush();
    const body = server.callsTo('POST', '/api/v1/waitlist/join')[0].data;
    expect(body).toEqual({ profile_id: 2, course_schedule_id: 101, booking_date: '2026-11-23' });
  });

  test('a queue without room for the whole family says so; the 409 shows the alternatives as before', async () => {
    const nearlyFull = fx.session({ waitlist_count: 7 });
    installWx({
      routes: {
        ...joinRoutes(fail(409, 40901, '候补队列已满，请选择其他课程', { alternatives: [] })),
        'GET /api/v1/sessions': ok({ items: [nearlyFull] }),
      },
    });
    const page = await mountPage('pages/sessions/detail', query(nearlyFull));
    await tap(page, '.sibling');
    expect(text(page, '.family-note')).toContain('候补队列只剩1个位置，可能无法一起候补');
    await tap(page, '.main-btn');
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '候补队列已满，请选择其他课程' }));
  });

  test('a family refused for a full queue joins an alternative queue as the same family; a free seat is booked for the chosen child', async () => {
    const alternatives = [
      { course_schedule_id: 104, booking_date: '2026-11-25', course_name: '少儿体操基础班', level: 2, starts_at: '2026-11-25T19:00:00+08:00',
        coach: '李教练', location: '浦东馆', seats_left: 2, waitlist_count: 0, waitlist_capacity: 8, action: 'book' },
      { course_schedule_id: 105, booking_date: '2026-11-30', course_name: '少儿体操基础班', level: 2, starts_at: '2026-11-30T19:00:00+08:00',
        coach: '王教练', location: '徐汇馆', seats_left: 0, waitlist_count: 1, waitlist_capacity: 8, action: 'waitlist' },
    ];
    const { server } = installWx({
      routes: {
        ...joinRoutes((req) => (req.data.course_schedule_id === 101
          ? fail(409, 40901, '候补队列已满，请选择其他课程', { alternatives })
          : ok({ ...fx.familyJoined, position: 2 }, 201))),
        'POST /api/v1/bookings': ok({ booking_id: 90 }, 201),
      },
    });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[0]));
    await tap(page, '.sibling');
    await tap(page, '.auto-row');
    await tap(page, '.main-btn');
    await flush();
    await tap(page.querySelectorAll('.alternative')[1]);
    await flush();
    expect(server.callsTo('POST', '/api/v1/waitlist/join')[1].data).toEqual({
      profile_id: 1, course_schedule_id: 105, booking_date: '2026-11-30', sibling_ids: [2], auto_accept: true,
    });
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已为2个孩子候补，您是第2位' }));
    await tap(page.querySelectorAll('.alternative')[0]);
    await flush();
    expect(server.callsTo('POST', '/api/v1/bookings')[0].data).toEqual({ profile_id: 1, course_schedule_id: 104, booking_date: '2026-11-25' });
  });

  test('取消候补 of a family entry says that both children leave the queue', async () => {
    const waiting = fx.session({
      mine: [fx.mine({ state: 'waitlisted', waitlist_id: 16, position: 3 }), fx.mine({ profile_id: 2, state: 'waitlisted', waitlist_id: 16, position: 3 })],
    });
    const { server } = installWx({ routes: { ...routes([waiting]), 'DELETE /api/v1/waitlist/16': ok({ waitlist_id: 16, status: 'cancelled' }) } });
    const page = await mountPage('pages/sessions/detail', query(waiting));
    expect(page.querySelector('.join-options')).toBeFalsy();
    await tap(page, '.main-btn');
    expect(wx.showModal.mock.calls[0][0].content).toBe('确定取消小明、小红（2人）的候补吗？取消后如需候补要重新排队。');
    expect(server.callsTo('DELETE', '/api/v1/waitlist/16')).toHaveLength(1);
  });

  test('no join options on a session that cannot be joined', async () => {
    installWx({ routes: routes([fx.sessions[3]]) });
    const page = await mountPage('pages/sessions/detail', query(fx.sessions[3]));
    expect(page.querySelector('.join-options')).toBeFalsy();
  });
});
