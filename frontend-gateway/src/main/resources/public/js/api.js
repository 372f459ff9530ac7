// The gateway's JSON API. Every call has a timeout; failures become ApiErrors with a readable message.

/** A failed call: HTTP status (0 when the gateway could not be reached) and the gateway's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, body, timeoutMs = 15000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, controller.signal.aborted
      ? 'The gateway did not answer in time. Try again.'
      : 'Cannot reach the gateway. Is it running?');
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch (e) {
    payload = null;
  }
  if (!response.ok) {
    const message = payload && typeof payload.error === 'string' ? payload.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return payload;
}

const q = encodeURIComponent;

export const api = {
  users: () => request('GET', '/getAllUsers').then((r) => r.users),
  user: (userId) => request('GET', `/api/user?userId=${q(userId)}`),
  addUser: (userId, userName) => request('POST', '/addUser', { userId, userName }),
  posts: (userId) => request('GET', `/allUserPosts?userId=${q(userId)}`).then((r) => r.posts),
  addPost: (postId, postContent, userId) => request('POST', '/addPost', { postId, postContent, userId }),
  deletePost: (postId, userId) => request('POST', '/deletePost', { postId, userId }),
  deleteUser: (id) => request('POST', '/deleteUser', { id }, 45000),
  cluster: () => request('GET', '/api/cluster', undefined, 5000),
  dashboard: () => request('GET', '/api/dashboard', undefined, 5000),
  freePostId: () => request('GET', '/api/freePostId').then((r) => r.postId),
};
