// Re-checks the server every few seconds while a page shows something that can go stale (an
// open offer another parent may take). One check at a time; stop() when the page is hidden.
/**
 * @param {() => Promise<any>} check
 * @param {number} everyMs
 */
function createPoller(check, everyMs) {
  /** @type {any} */
  let handle = null;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    Promise.resolve()
      .then(check)
      .catch(() => {})
      .then(() => {
        running = false;
      });
  };
  return {
    start() {
      if (!handle) handle = setInterval(tick, everyMs);
    },
    stop() {
      if (handle) clearInterval(handle);
      handle = null;
    },
    get active() {
      return !!handle;
    },
  };
}

module.exports = { createPoller };
