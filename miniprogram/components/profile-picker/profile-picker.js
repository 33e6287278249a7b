// Chips to choose which child the parent is acting for.
Component({
  properties: {
    profiles: { type: Array, value: [] },
    value: { type: Number, value: 0 },
  },
  methods: {
    onPick(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (id !== this.data.value) this.triggerEvent('change', { id });
    },
  },
});
