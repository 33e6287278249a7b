// 孩子管理: every child with its level, and a form to add one.
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const { loadProfiles, addChild } = require('../../utils/profiles');
const { showError } = require('../../utils/request');

Component({
  behaviors: [loadable, actions],
  data: {
    profiles: [],
    formError: '',
    resetKey: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    fetch() {
      return loadProfiles().then((who) => {
        this.setData({ profiles: who.profiles });
        // an empty list is still a page: the form is the point of it
        return true;
      });
    },
    onAdd(e) {
      const child = e.detail;
      return this.runOnce('add', () => {
        this.setData({ formError: '' });
        return addChild(child)
          .then(() => {
            wx.showToast({ title: `已添加${child.name}`, icon: 'success' });
            this.setData({ resetKey: this.data.resetKey + 1 });
            return this.reload();
          })
          .catch((err) => {
            if (err && err.status === 400) this.setData({ formError: err.message });
            else showError(err);
          });
      });
    },
    onSessions() {
      wx.switchTab({ url: '/pages/sessions/index' });
    },
  },
});
