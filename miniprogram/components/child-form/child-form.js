// Add a child: name and level (L1–L10). Emits `submit` with {name, level} once the input is
// valid; the page saves it and passes `busy` while the request runs.
const LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

Component({
  properties: {
    busy: { type: Boolean, value: false },
    submitText: { type: String, value: '保存' },
    error: { type: String, value: '' },
    // the page bumps it after saving, which empties the form for the next child
    resetKey: { type: Number, value: 0 },
  },
  data: {
    levels: LEVELS,
    name: '',
    level: 0,
    hint: '',
    seenReset: 0,
    seenError: '',
  },
  observers: {
    // observers also fire when the page re-renders with the same value: act on a change only
    resetKey(key) {
      if (key === this.data.seenReset) return;
      this.setData({ seenReset: key, name: '', level: 0, hint: '' });
    },
    error(message) {
      if (message && message !== this.data.seenError) this.setData({ seenError: message, hint: message });
      if (!message) this.setData({ seenError: '' });
    },
  },
  methods: {
    onName(e) {
      this.setData({ name: e.detail.value, hint: '' });
    },
    onLevel(e) {
      this.setData({ level: Number(e.currentTarget.dataset.level), hint: '' });
    },
    onSubmit() {
      if (this.data.busy) return;
      const name = String(this.data.name || '').trim();
      if (!name) {
        this.setData({ hint: '请填写孩子的名字' });
        return;
      }
      if (name.length > 50) {
        this.setData({ hint: '名字最多50个字' });
        return;
      }
      if (!(this.data.level >= 1 && this.data.level <= 10)) {
        this.setData({ hint: '请选择孩子现在的级别' });
        return;
      }
      this.triggerEvent('submit', { name, level: this.data.level });
    },
  },
});
