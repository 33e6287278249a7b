// The API client: the admin JWT in localStorage, the {code, message, data} envelope, and one
// error type whose message is the API's own Chinese sentence.
import { reactive } from 'vue'

const KEY = 'console.token'

export const session = reactive({
  token: localStorage.getItem(KEY) || '',
  me: null,
})

export class ApiError extends Error {
  constructor(status, code, message, data) {
    super(message)
    this.status = status
    this.code = code
    this.data = data
  }
  /** The field a 400 names, if any. */
  get field() {
    return this.data && this.data.field
  }
}

let onUnauthorized = () => {}
export function whenUnauthorized(fn) {
  onUnauthorized = fn
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  let envelope
  try {
    envelope = await res.json()
  } catch {
    throw new ApiError(res.status, 0, `服务器返回了无法解析的内容（HTTP ${res.status}）`, null)
  }
  if (!res.ok) {
    if (res.status === 401 && session.token) {
      logout()
      onUnauthorized()
    }
    throw new ApiError(res.status, envelope.code, envelope.message, envelope.data)
  }
  return envelope
}

export const get = (path) => call('GET', path).then((e) => e.data)
export const post = (path, body = {}) => call('POST', path, body)
export const put = (path, body = {}) => call('PUT', path, body)

export async function login(username, password) {
  const e = await call('POST', '/api/v1/admin/login', { username, password })
  session.token = e.data.token
  localStorage.setItem(KEY, session.token)
  session.me = await get('/api/v1/admin/me')
  return session.me
}

export async function loadMe() {
  if (session.token && !session.me) session.me = await get('/api/v1/admin/me')
  return session.me
}

export function logout() {
  session.token = ''
  session.me = null
  localStorage.removeItem(KEY)
}

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v)
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** Link to a workflow in the Temporal UI. */
export function workflowUrl(workflowId) {
  const base = session.me ? session.me.temporal_ui_workflows : ''
  return `${base}/${encodeURIComponent(workflowId)}`
}
