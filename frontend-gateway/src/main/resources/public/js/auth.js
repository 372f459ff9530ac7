// The signed-out page: sign in with a user ID, or create an account with a name and an ID.
import { api, ApiError } from './api.js';
import { el } from './dom.js';
import { miniClusterCard } from './cluster.js';

const USER_ID = /^user_(0|[1-9][0-9]{0,2}|1000)$/;

/** Returns why id is not a usable user ID, or null if it is. */
export function userIdProblem(id) {
  if (!id) return 'Type a user ID, like user_17.';
  if (!USER_ID.test(id)) return `"${id}" is not a user ID: use user_0 … user_1000.`;
  return null;
}

function field(label, input, hint) {
  return el('label', { class: 'field' },
    el('span', { class: 'field-label', text: label }),
    input,
    hint ? el('span', { class: 'field-hint', text: hint }) : null);
}

function showError(box, message) {
  box.textContent = message || '';
  box.hidden = !message;
}

async function withBusy(button, work) {
  button.disabled = true;
  button.classList.add('busy');
  try {
    await work();
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

function signInForm(onSignedIn) {
  const id = el('input', { class: 'input mono', testid: 'signin-user-id', name: 'userId', placeholder: 'user_17',
    autocomplete: 'username', spellcheck: 'false', autocapitalize: 'off', required: true });
  const error = el('p', { class: 'form-error', testid: 'signin-error', role: 'alert', hidden: true });
  const submit = el('button', { class: 'button primary wide', type: 'submit', testid: 'signin-submit', text: 'Sign in' });
  const form = el('form', { class: 'form', testid: 'signin-form', novalidate: true },
    field('User ID', id), error, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const userId = id.value.trim();
    const problem = userIdProblem(userId);
    showError(error, problem);
    if (problem) return;
    withBusy(submit, async () => {
      try {
        onSignedIn(await api.user(userId), false);
      } catch (e) {
        showError(error, e instanceof ApiError && e.status === 404
          ? `There is no ${userId} yet. Create an account instead?`
          : e.message);
      }
    });
  });
  return form;
}

function signUpForm(onSignedIn) {
  const name = el('input', { class: 'input', testid: 'signup-name', name: 'userName', placeholder: 'Ada Lovelace',
    autocomplete: 'name', maxlength: '80', required: true });
  const id = el('input', { class: 'input mono', testid: 'signup-user-id', name: 'userId', placeholder: 'user_17',
    spellcheck: 'false', autocapitalize: 'off', required: true });
  const error = el('p', { class: 'form-error', testid: 'signup-error', role: 'alert', hidden: true });
  const submit = el('button', { class: 'button primary wide', type: 'submit', testid: 'signup-submit', text: 'Create account' });
  const form = el('form', { class: 'form', testid: 'signup-form', novalidate: true },
    field('Your name', name),
    field('Pick a user ID', id, 'From user_0 to user_1000. It decides which server stores you.'),
    error, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const userId = id.value.trim();
    const userName = name.value.trim();
    const problem = !userName ? 'Type your name.' : userIdProblem(userId);
    showError(error, problem);
    if (problem) return;
    withBusy(submit, async () => {
      try {
        const shard = await api.addUser(userId, userName);
        onSignedIn({ userId, userName, shard }, true);
      } catch (e) {
        showError(error, e instanceof ApiError && e.status === 409
          ? `${userId} is taken. Pick another ID.`
          : e.message);
      }
    });
  });
  return form;
}

/** The sign-in / sign-up page; onSignedIn(user, isNew) is called with {userId, userName, shard}. */
export function authView(onSignedIn) {
  const forms = { signin: signInForm(onSignedIn), signup: signUpForm(onSignedIn) };
  const tabs = {};
  const panel = el('div', { class: 'auth-panel' });
  const select = (which) => {
    for (const [key, tab] of Object.entries(tabs)) {
      tab.setAttribute('aria-selected', String(key === which));
      tab.classList.toggle('active', key === which);
    }
    panel.replaceChildren(forms[which]);
    const first = forms[which].querySelector('input');
    if (first) first.focus();
  };
  tabs.signin = el('button', { type: 'button', class: 'tab', role: 'tab', testid: 'tab-signin', text: 'Sign in', onClick: () => select('signin') });
  tabs.signup = el('button', { type: 'button', class: 'tab', role: 'tab', testid: 'tab-signup', text: 'Create account', onClick: () => select('signup') });

  const mini = miniClusterCard();
  const node = el('section', { class: 'auth', testid: 'auth-view' },
    el('div', { class: 'hero' },
      el('h1', { class: 'hero-title' }, 'Your friends,', el('br'), el('span', { class: 'accent', text: 'sharded.' })),
      el('p', { class: 'hero-text', text: 'Bacefook keeps every profile and post on one of several storage servers. Sign up, write on your wall, and watch the cluster move your data around live.' }),
      el('ul', { class: 'hero-points' },
        el('li', { text: 'Every profile and post shows the server that holds it.' }),
        el('li', { text: 'The cluster view redraws as servers join and ranges move.' }),
        el('li', { text: 'Deleting your account erases you and your posts everywhere.' })),
      mini.node),
    el('div', { class: 'card auth-card' },
      el('div', { class: 'tabs', role: 'tablist' }, tabs.signin, tabs.signup),
      panel));
  select('signin');
  return { node, dispose: mini.dispose };
}
