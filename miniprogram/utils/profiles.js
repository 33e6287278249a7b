// The children of this parent and which one is selected (remembered across pages).
const api = require('./api');
const storage = require('./storage');

/**
 * Loads the profiles and picks the remembered child, or the first one.
 * @returns {Promise<{profiles: any[], profileId: number}>}
 */
function loadProfiles() {
  return api.profiles().then((data) => {
    const profiles = (data && data.items) || [];
    const remembered = Number(storage.get(storage.KEYS.profileId));
    const found = profiles.find((p) => p.id === remembered);
    const profileId = found ? found.id : profiles.length ? profiles[0].id : 0;
    return { profiles, profileId };
  });
}

/** @param {number} id */
function rememberProfile(id) {
  storage.set(storage.KEYS.profileId, id);
}

/**
 * Creates a child and makes it the selected one.
 * @param {{name: string, level: number}} child
 * @returns {Promise<number>} the new profile id
 */
function addChild(child) {
  return api.createProfile({ name: child.name, level: child.level }).then((data) => {
    const id = data && data.id;
    if (id) rememberProfile(id);
    return id;
  });
}

module.exports = { loadProfiles, rememberProfile, addChild };
