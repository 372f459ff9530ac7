// Bacefook's single-page app: the session, the hash router (#/, #/wall, #/user/<id>, #/people,
// #/cluster), toasts and confirmations.
import { api, ApiError } from './api.js';
import { byTestId, mount } from './dom.js';
import { authView } from './auth.js';
import { wallView } from './wall.js';
import { peopleView } from './people.js';
import { cluster, clusterView, onClusterChange, startPolling } from './cluster.js';

const SESSION_KEY = 'bacefook.userId';
const view = document.getElementById('view');
let me = null;
let current = null;

function toast(message, isError = false) {
  const box = byTestId('toast');
  box.textContent = message;
  box.classList.toggle('error', isError);
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, isError ? 6000 : 3500);
}

/** Shows the confirmation dialog; resolves to true if the user confirmed. */
function confirm({ title, text, action }) {
  const dialog = byTestId('confirm-dialog');
  byTestId('confirm-title').textContent = title;
  byTestId('confirm-text').textContent = text;
  byTestId('confirm-ok').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

function setSession(user) {
  me = user;
  if (user) localStorage.setItem(SESSION_KEY, user.userId);
  else localStorage.removeItem(SESSION_KEY);
  byTestId('session').hidden = !user;
  byTestId('nav-wall').hidden = !user;
  byTestId('current-user').textContent = user ? `${user.userName} · ${user.userId}` : '';
}

/** Shows hash: renders now if it is already the current one, otherwise through hashchange. */
function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function signOut() {
  setSession(null);
  go('#/');
}

function signedIn(user, isNew) {
  setSession(user);
  toast(isNew ? `Welcome, ${user.userName}! Your profile is stored on ${user.shard}.` : `Signed in as ${user.userName}.`);
  go('#/wall');
}

const app = { toast, confirm, signOut };

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'people') return { name: 'people', make: () => peopleView(me) };
  if (parts[0] === 'cluster') return { name: 'cluster', make: () => clusterView() };
  if (parts[0] === 'user' && parts[1]) {
    const own = me !== null && me.userId === parts[1];
    return { name: own ? 'wall' : 'people', make: () => wallView(parts[1], own, app) };
  }
  if (me) return { name: 'wall', make: () => wallView(me.userId, true, app) };
  return { name: 'auth', make: () => authView(signedIn) };
}

function render() {
  if (current) current.dispose();
  const next = route();
  for (const link of document.querySelectorAll('.nav a')) {
    link.classList.toggle('active', link.dataset.route === next.name);
  }
  current = next.make();
  mount(view, current.node);
  window.scrollTo(0, 0);
}

function drawPill() {
  const pill = byTestId('cluster-pill');
  const text = byTestId('cluster-pill-text');
  pill.classList.toggle('offline', Boolean(cluster.error));
  pill.classList.toggle('pending', !cluster.error && !cluster.config);
  if (cluster.error) {
    text.textContent = 'cluster unreachable';
  } else if (cluster.config) {
    const n = cluster.config.servers.length;
    text.textContent = `config #${cluster.config.configNum} · ${n} server${n === 1 ? '' : 's'}`;
  }
}

async function restoreSession() {
  const saved = localStorage.getItem(SESSION_KEY);
  if (!saved) return;
  try {
    setSession(await api.user(saved));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) setSession(null);
    else setSession({ userId: saved, userName: saved, shard: '' });
  }
}

byTestId('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', render);
onClusterChange(drawPill);
startPolling();
await restoreSession();
render();
