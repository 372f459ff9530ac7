// The live cluster configuration: polled every POLL_MS, drawn as a bar of [0, 1000] whose colored
// segments are the ranges each server owns. Every server gets one color wherever it appears.
import { api } from './api.js';
import { el, mount, setStyle } from './dom.js';
import { dashboardCards } from './dashboard.js';

const POLL_MS = 1500;
const ID_COUNT = 1001;
const PALETTE = ['#2563eb', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#f97316', '#14b8a6'];
const UNKNOWN_COLOR = '#94a3b8';

/** The latest configuration ({configNum, servers}), the latest error message, and when they came. */
export const cluster = { config: null, error: null, updatedAt: null };

const listeners = new Set();
let inFlight = false;

/** Calls fn after every poll; returns a function that stops it. */
export function onClusterChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Returns the color of server: by its place in the configuration (join order). */
export function serverColor(server) {
  const servers = cluster.config ? cluster.config.servers : [];
  const index = servers.findIndex((s) => s.server === server);
  return index < 0 ? UNKNOWN_COLOR : PALETTE[index % PALETTE.length];
}

/** Fetches the configuration once and tells every listener. */
export async function pollCluster() {
  if (inFlight) return;
  inFlight = true;
  try {
    cluster.config = await api.cluster();
    cluster.error = null;
  } catch (e) {
    cluster.error = e.message;
  } finally {
    inFlight = false;
    cluster.updatedAt = new Date();
  }
  for (const badge of document.querySelectorAll('.server-badge[data-server]')) {
    badge.style.setProperty('--server-color', serverColor(badge.dataset.server));
  }
  listeners.forEach((fn) => fn(cluster));
}

/** Polls now and then every POLL_MS while the page is visible. */
export function startPolling() {
  pollCluster();
  setInterval(() => {
    if (!document.hidden) pollCluster();
  }, POLL_MS);
}

/** A small label naming the server that holds something, in that server's color. */
export function serverBadge(server, testid) {
  return el('span', {
    class: 'server-badge',
    testid,
    dataset: { server },
    title: `Stored on ${server}`,
    style: { '--server-color': serverColor(server) },
  }, el('span', { class: 'dot', 'aria-hidden': 'true' }), server);
}

function rangeText([lower, upper]) {
  return lower === upper ? `${lower}` : `${lower}–${upper}`;
}

/** Creates an empty bar; updateBar draws a configuration into it. */
export function clusterBar() {
  const track = el('div', { class: 'bar-track', testid: 'cluster-bar', role: 'img' });
  const axis = el('div', { class: 'bar-axis', 'aria-hidden': 'true' },
    [0, 250, 500, 750, 1000].map((id) => el('span', { style: { left: `${id / 10}%` }, text: String(id) })));
  return el('div', { class: 'bar' }, track, axis);
}

/** Draws config into a bar made by clusterBar, moving existing segments so changes animate. */
export function updateBar(bar, config) {
  const track = bar.querySelector('.bar-track');
  const existing = new Map([...track.children].map((node) => [node.dataset.key, node]));
  const labels = [];
  config.servers.forEach((entry, serverIndex) => {
    entry.ranges.forEach((range, rangeIndex) => {
      const [lower, upper] = range;
      const key = `${entry.server}#${rangeIndex}`;
      let segment = existing.get(key);
      existing.delete(key);
      if (!segment) {
        segment = el('div', { class: 'segment', testid: 'cluster-segment', dataset: { key } }, el('span'));
        track.append(segment);
      }
      segment.dataset.server = entry.server;
      segment.dataset.lower = String(lower);
      segment.dataset.upper = String(upper);
      segment.title = `${entry.server} owns ${rangeText(range)}`;
      const width = ((upper - lower + 1) / ID_COUNT) * 100;
      setStyle(segment, {
        left: `${(lower / ID_COUNT) * 100}%`,
        width: `${width}%`,
        '--server-color': PALETTE[serverIndex % PALETTE.length],
      });
      segment.firstChild.textContent = rangeText(range);
      labels.push(`${entry.server}: ${rangeText(range)}`);
    });
  });
  existing.forEach((node) => node.remove());
  track.setAttribute('aria-label', labels.length ? labels.join('; ') : 'no server owns any key');
  fitLabels(bar);
}

/** Shows a segment's range label only where it fits; call again when the bar's width changes. */
export function fitLabels(bar) {
  const track = bar.querySelector('.bar-track');
  const trackWidth = track.clientWidth;
  for (const segment of track.children) {
    const label = segment.firstChild;
    const share = (Number(segment.dataset.upper) - Number(segment.dataset.lower) + 1) / ID_COUNT;
    const fits = share * trackWidth >= label.textContent.length * 8 + 14;
    label.style.visibility = fits ? 'visible' : 'hidden';
  }
}

function legendRow(entry, index) {
  const share = (entry.ids / ID_COUNT) * 100;
  return el('li', { class: 'legend-row', testid: 'cluster-server', dataset: { server: entry.server } },
    el('span', { class: 'swatch', style: { '--server-color': PALETTE[index % PALETTE.length] } }),
    el('div', { class: 'legend-main' },
      el('div', { class: 'legend-server mono', testid: 'server-address', text: entry.server }),
      el('div', { class: 'legend-ranges muted', testid: 'server-ranges',
        text: entry.ranges.length ? entry.ranges.map(rangeText).join(', ') : 'no ranges' })),
    el('div', { class: 'legend-share' },
      el('div', { class: 'legend-keys', text: `${entry.ids} IDs` }),
      el('div', { class: 'share-track' },
        el('div', { class: 'share-fill', style: { width: `${share}%`, '--server-color': PALETTE[index % PALETTE.length] } }))));
}

/** The cluster page; it redraws on every poll until disposed. */
export function clusterView() {
  const configNum = el('span', { class: 'config-num', testid: 'config-num', text: '…' });
  const updated = el('span', { class: 'muted small', testid: 'cluster-updated' });
  const error = el('div', { class: 'alert', testid: 'cluster-error', role: 'alert', hidden: true });
  const bar = clusterBar();
  const legend = el('ul', { class: 'legend', testid: 'cluster-legend' });
  const empty = el('p', { class: 'empty', testid: 'cluster-empty', hidden: true,
    text: 'No storage server has joined yet: nothing can be stored until one does.' });
  let shownNum = null;
  let shownServers = null;
  const live = el('div', { class: 'live pending', testid: 'cluster-live' },
    el('span', { class: 'pulse', testid: 'cluster-live-dot', 'aria-hidden': 'true' }),
    el('span', {}, 'Configuration ', configNum), updated);
  const cards = dashboardCards();

  const draw = () => {
    live.classList.toggle('offline', Boolean(cluster.error));
    live.classList.toggle('pending', !cluster.error && !cluster.config);
    error.hidden = !cluster.error;
    error.textContent = cluster.error ? `Cluster unreachable: ${cluster.error}` : '';
    if (cluster.updatedAt) updated.textContent = `updated ${cluster.updatedAt.toLocaleTimeString()}`;
    const config = cluster.config;
    if (!config) return;
    const servers = JSON.stringify(config.servers);
    if (config.configNum === shownNum && servers === shownServers) return;
    shownNum = config.configNum;
    shownServers = servers;
    configNum.textContent = `#${config.configNum}`;
    updateBar(bar, config);
    mount(legend, config.servers.map(legendRow));
    empty.hidden = config.servers.length > 0;
  };

  const node = el('section', { class: 'stack', testid: 'cluster-view' },
    el('div', { class: 'page-head' },
      el('div', {},
        el('h1', { text: 'Cluster' }),
        el('p', { class: 'muted', text: 'Which storage server owns which key IDs. user_N, post_N and user_N_posts live on the server that owns N.' })),
      live),
    error,
    el('div', { class: 'card' },
      el('h2', { class: 'card-title', text: 'Key IDs 0 – 1000' }),
      bar,
      empty),
    el('div', { class: 'card' },
      el('h2', { class: 'card-title', text: 'Servers' }),
      legend),
    cards.node);
  draw();
  const stop = onClusterChange(draw);
  const refit = () => fitLabels(bar);
  window.addEventListener('resize', refit);
  requestAnimationFrame(refit);
  return { node, dispose: () => { stop(); cards.dispose(); window.removeEventListener('resize', refit); } };
}

/** A compact live bar for the sign-in page. */
export function miniClusterCard() {
  const bar = clusterBar();
  bar.classList.add('compact');
  const caption = el('span', { class: 'muted small', testid: 'mini-cluster-caption', text: 'Connecting to the cluster…' });
  let shown = null;
  const draw = () => {
    head.classList.toggle('offline', Boolean(cluster.error));
    head.classList.toggle('pending', !cluster.error && !cluster.config);
    if (cluster.error) caption.textContent = 'The cluster is unreachable right now.';
    const config = cluster.config;
    if (!config || cluster.error) return;
    const n = config.servers.length;
    caption.textContent = `Right now: configuration #${config.configNum}, ${n} storage server${n === 1 ? '' : 's'}`;
    const key = JSON.stringify(config);
    if (key !== shown) {
      shown = key;
      updateBar(bar, config);
    }
  };
  const head = el('div', { class: 'mini-cluster-head pending' },
    el('span', { class: 'pulse', testid: 'mini-cluster-dot', 'aria-hidden': 'true' }), caption);
  const node = el('a', { class: 'card mini-cluster', href: '#/cluster', testid: 'mini-cluster' },
    head, bar);
  draw();
  const stop = onClusterChange(draw);
  const refit = () => fitLabels(bar);
  window.addEventListener('resize', refit);
  requestAnimationFrame(refit);
  return { node, dispose: () => { stop(); window.removeEventListener('resize', refit); } };
}
