// Thin, crash-proof wrapper over wx storage. Keys live here so nothing else spells them.
const KEYS = {
  token: 'auth_token',
  userId: 'auth_user_id',
  profileId: 'selected_profile_id',
  club: 'club_profile',
};

/** @param {string} key */
function get(key) {
  try {
    const value = wx.getStorageSync(key);
    return value === '' ? null : value;
  } catch (e) {
    return null;
  }
}

/** @param {string} key @param {any} value */
function set(key, value) {
  try {
    wx.setStorageSync(key, value);
    return true;
  } catch (e) {
    return false;
  }
}

/** @param {string} key */
function remove(key) {
  try {
    wx.removeStorageSync(key);
  } catch (e) {
    // nothing to do: a failed removal leaves a token the server will reject (401 → re-login)
  }
}

module.exports = {
  KEYS,
  get,
  set,
  remove,
  getToken: () => get(KEYS.token),
  setToken: (/** @type {string} */ token) => set(KEYS.token, token),
  clearToken: () => remove(KEYS.token),
};
