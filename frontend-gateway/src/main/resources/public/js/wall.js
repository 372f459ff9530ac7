// A user's wall: their profile, the posts on it and, on your own wall, a box to write a post.
import { api, ApiError } from './api.js';
import { el, mount } from './dom.js';
import { serverBadge } from './cluster.js';

const POST_ID = /^post_(0|[1-9][0-9]{0,2}|1000)$/;
const MAX_POST = 5000;

function avatar(name, size = '') {
  const initial = (name || '?').trim().charAt(0).toUpperCase() || '?';
  return el('span', { class: `avatar ${size}`, 'aria-hidden': 'true', text: initial });
}

function postCard(post, ctx) {
  const remove = ctx.own
    ? el('button', { type: 'button', class: 'button ghost small danger-text', testid: 'post-delete',
      title: `Delete ${post.postId}`, text: 'Delete' })
    : null;
  const card = el('article', { class: 'card post', testid: 'post', dataset: { postId: post.postId } },
    el('header', { class: 'post-head' },
      avatar(ctx.user.userName, 'small'),
      el('div', { class: 'post-author' },
        el('strong', { text: ctx.user.userName }),
        el('span', { class: 'muted mono small', testid: 'post-id', text: post.postId })),
      remove),
    el('p', { class: 'post-content', testid: 'post-content', text: post.postContent }),
    el('footer', { class: 'post-foot' },
      el('span', { class: 'muted small', text: 'Stored on' }),
      serverBadge(post.shard, 'post-shard')));
  if (remove) {
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await api.deletePost(post.postId, ctx.user.userId);
        card.classList.add('leaving');
        card.remove();
        ctx.afterChange();
        ctx.toast(`Deleted ${post.postId}.`);
      } catch (e) {
        remove.disabled = false;
        ctx.toast(e.message, true);
      }
    });
  }
  return card;
}

function composer(ctx) {
  const text = el('textarea', { class: 'input composer-text', testid: 'post-content-input', rows: '3',
    maxlength: String(MAX_POST), placeholder: `What's on your mind, ${ctx.user.userName}?` });
  const postId = el('input', { class: 'input mono post-id-input', testid: 'post-id-input', 'aria-label': 'Post ID',
    placeholder: 'post_42', spellcheck: 'false', autocapitalize: 'off' });
  const suggest = el('button', { type: 'button', class: 'button ghost small icon', testid: 'post-id-suggest',
    title: 'Suggest a free post ID', 'aria-label': 'Suggest a free post ID', text: '↻' });
  const counter = el('span', { class: 'muted small', text: `0 / ${MAX_POST}` });
  const error = el('p', { class: 'form-error', testid: 'post-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', class: 'button primary', testid: 'post-submit', text: 'Post' });
  const fail = (message) => {
    error.textContent = message || '';
    error.hidden = !message;
  };
  const suggestId = async () => {
    try {
      postId.value = await api.freePostId();
    } catch (e) {
      fail(`Could not suggest a post ID: ${e.message}`);
    }
  };
  suggest.addEventListener('click', suggestId);
  text.addEventListener('input', () => { counter.textContent = `${text.value.length} / ${MAX_POST}`; });

  const form = el('form', { class: 'card composer', testid: 'post-form', novalidate: true },
    el('div', { class: 'composer-row' }, avatar(ctx.user.userName), text),
    error,
    el('div', { class: 'composer-actions' },
      el('label', { class: 'post-id-field' }, el('span', { class: 'muted small', text: 'Post ID' }), postId, suggest),
      counter,
      submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const content = text.value;
    const id = postId.value.trim();
    if (!content.trim()) return fail('Write something first.');
    if (!POST_ID.test(id)) return fail(`"${id}" is not a post ID: use post_0 … post_1000, or ↻ for a free one.`);
    fail(null);
    submit.disabled = true;
    try {
      const shard = await api.addPost(id, content, ctx.user.userId);
      text.value = '';
      counter.textContent = `0 / ${MAX_POST}`;
      ctx.toast(`Posted ${id} on ${shard}.`);
      await ctx.afterChange();
      await suggestId();
    } catch (e) {
      fail(e instanceof ApiError && e.status === 409 ? `${id} is taken. Pick another post ID (↻).` : e.message);
    } finally {
      submit.disabled = false;
    }
  });
  suggestId();
  return form;
}

/**
 * The wall of userId. own: whether it is the signed-in user's wall (then it can be written on and
 * deleted). app: {toast(message, isError), confirm(options), signOut()}.
 */
export function wallView(userId, own, app) {
  const head = el('div', { class: 'card profile', testid: 'wall-profile' }, el('p', { class: 'muted', text: 'Loading…' }));
  const list = el('div', { class: 'posts', testid: 'posts-list', 'aria-live': 'polite' });
  const count = el('span', { class: 'count', testid: 'post-count' });
  const node = el('section', { class: 'stack wall', testid: 'wall', dataset: { userId } }, head);
  let disposed = false;

  const loadPosts = async (ctx) => {
    try {
      const posts = await api.posts(userId);
      if (disposed) return;
      count.textContent = String(posts.length);
      mount(list, posts.length
        ? posts.slice().reverse().map((post) => postCard(post, ctx))
        : el('div', { class: 'card empty', testid: 'posts-empty', text: own ? 'No posts yet. Write your first one above.' : 'No posts yet.' }));
    } catch (e) {
      mount(list, el('div', { class: 'alert', role: 'alert', text: e.message }));
    }
  };

  (async () => {
    let user;
    try {
      user = await api.user(userId);
    } catch (e) {
      if (disposed) return;
      mount(head, el('p', { class: 'alert', testid: 'wall-error', role: 'alert',
        text: e instanceof ApiError && e.status === 404 ? `There is no ${userId}.` : e.message }));
      return;
    }
    if (disposed) return;
    const ctx = { user, own, toast: app.toast, afterChange: () => loadPosts(ctx) };
    const deleteAccount = own
      ? el('button', { type: 'button', class: 'button ghost danger-text small', testid: 'delete-account', text: 'Delete account' })
      : null;
    mount(head,
      avatar(user.userName, 'large'),
      el('div', { class: 'profile-main' },
        el('h1', { class: 'profile-name', testid: 'wall-name', text: user.userName }),
        el('div', { class: 'profile-meta' },
          el('span', { class: 'mono muted', testid: 'wall-user-id', text: user.userId }),
          el('span', { class: 'muted', text: '·' }),
          el('span', { class: 'muted', text: 'profile stored on' }),
          serverBadge(user.shard, 'wall-shard'))),
      deleteAccount);
    if (deleteAccount) {
      deleteAccount.addEventListener('click', async () => {
        const ok = await app.confirm({
          title: 'Delete your account?',
          text: `This erases ${user.userName} (${user.userId}) and every post on this wall from all servers. It cannot be undone.`,
          action: 'Delete forever',
        });
        if (!ok) return;
        deleteAccount.disabled = true;
        try {
          await api.deleteUser(user.userId);
          app.toast(`${user.userId} and all of their posts were erased.`);
          app.signOut();
        } catch (e) {
          deleteAccount.disabled = false;
          app.toast(e.message, true);
        }
      });
    }
    if (own) node.append(composer(ctx));
    node.append(el('div', { class: 'section-head' }, el('h2', { text: 'Posts' }), count), list);
    await loadPosts(ctx);
  })();

  return { node, dispose: () => { disposed = true; } };
}
