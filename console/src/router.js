import { createRouter, createWebHashHistory } from 'vue-router'
import { session } from './lib/api.js'

const routes = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true } },
  { path: '/', redirect: '/overview' },
  { path: '/overview', component: () => import('./views/Overview.vue'), meta: { title: '今日 / 本周' } },
  { path: '/sessions/:schedule/:date', component: () => import('./views/Session.vue'), meta: { title: '课程详情' } },
  { path: '/families', component: () => import('./views/Families.vue'), meta: { title: '家庭' } },
  { path: '/families/:id', component: () => import('./views/Family.vue'), meta: { title: '家庭详情' } },
  { path: '/stats', component: () => import('./views/Stats.vue'), meta: { title: '统计' } },
  { path: '/problems', component: () => import('./views/Problems.vue'), meta: { title: '问题' } },
  { path: '/settings', component: () => import('./views/Settings.vue'), meta: { title: '设置' } },
  { path: '/staff', component: () => import('./views/Staff.vue'), meta: { title: '员工账号' } },
  { path: '/audit', component: () => import('./views/Audit.vue'), meta: { title: '操作日志' } },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { path: '/login', query: { next: to.fullPath } }
  return true
})
