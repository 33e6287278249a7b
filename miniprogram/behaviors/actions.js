// One request in flight per action. A second tap while the first is pending gets the same
// promise instead of a second request; `pending.<key>` drives the button's loading/disabled.
/** In-flight promises per component instance and action key (kept out of `data`). */
const flights = new WeakMap();

module.exports = Behavior({
  data: {
    pending: {},
  },
  methods: {
    /**
     * @param {string} key the action ("confirm", "book", "leave-12" …)
     * @param {() => any} work starts the action; should handle its own errors
     * @returns {Promise<any>}
     */
    runOnce(key, work) {
      let map = flights.get(this);
      if (!map) {
        map = {};
        flights.set(this, map);
      }
      if (map[key]) return map[key];
      this.setData({ [`pending.${key}`]: true });
      const flight = Promise.resolve()
        .then(work)
        .finally(() => {
          delete map[key];
          this.setData({ [`pending.${key}`]: false });
        });
      map[key] = flight;
      return flight;
    },
    /** @param {string} key */
    isPending(key) {
      const map = flights.get(this);
      return !!(map && map[key]);
    },
  },
});
