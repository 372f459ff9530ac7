// Everyone on Bacefook: name, ID and the server that holds each profile.
import { api } from './api.js';
import { el, mount } from './dom.js';
import { serverBadge } from './cluster.js';

function userCard(user, me) {
  const initial = user.userName.trim().charAt(0).toUpperCase() || '?';
  return el('a', { class: 'card user-card', href: `#/user/${user.userId}`, testid: 'user-row', dataset: { userId: user.userId } },
    el('span', { class: 'avatar', 'aria-hidden': 'true', text: initial }),
    el('div', { class: 'user-main' },
      el('div', { class: 'user-name-line' },
        el('strong', { class: 'user-name', testid: 'user-name', text: user.userName }),
        me && me.userId === user.userId ? el('span', { class: 'chip', text: 'you' }) : null),
      el('div', { class: 'user-meta' },
        el('span', { class: 'mono muted small', testid: 'user-id', text: user.userId }),
        serverBadge(user.shard, 'user-shard'))));
}

/** The people page; me is the signed-in user or null. */
export function peopleView(me) {
  const list = el('div', { class: 'user-grid', testid: 'users-list', 'aria-live': 'polite' },
    el('p', { class: 'muted', text: 'Loading…' }));
  const count = el('span', { class: 'count', testid: 'user-count' });
  const filter = el('input', { class: 'input search', type: 'search', testid: 'people-filter',
    placeholder: 'Filter by name, ID or server', 'aria-label': 'Filter people' });
  let users = [];
  let disposed = false;

  const draw = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = users.filter((u) => !needle
      || u.userName.toLowerCase().includes(needle)
      || u.userId.includes(needle)
      || u.shard.includes(needle));
    count.textContent = String(users.length);
    mount(list, shown.length
      ? shown.map((user) => userCard(user, me))
      : el('div', { class: 'card empty', testid: 'users-empty', text: users.length ? 'Nobody matches.' : 'Nobody has signed up yet.' }));
  };
  filter.addEventListener('input', draw);

  (async () => {
    try {
      users = await api.users();
      if (!disposed) draw();
    } catch (e) {
      if (!disposed) mount(list, el('div', { class: 'alert', role: 'alert', testid: 'users-error', text: e.message }));
    }
  })();

  const node = el('section', { class: 'stack', testid: 'people-view' },
    el('div', { class: 'page-head' },
      el('div', {}, el('h1', {}, 'People ', count),
        el('p', { class: 'muted', text: 'Everyone on Bacefook, and the server that stores each profile.' })),
      filter),
    list);
  return { node, dispose: () => { disposed = true; } };
}
