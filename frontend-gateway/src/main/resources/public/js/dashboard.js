// The live part of the cluster page: every server's health, configuration, keys, bytes, replica
// group (each replica's role, health and lag) and request rate (a uPlot chart of the last minutes), each range's state with a progress bar for handoffs, and
// the timeline of configurations. Polls GET /api/dashboard every POLL_MS while the page is open.
import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { api } from './api.js';
import { el, mount } from './dom.js';
import { serverColor } from './cluster.js';

const POLL_MS = 1000;

function number(value) {
  return value === null || value === undefined ? '–' : value.toLocaleString('en-US');
}

function bytes(value) {
  if (value === null || value === undefined) return '–';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

function rangeText(range) {
  return range.lower === range.upper ? `${range.lower}` : `${range.lower}–${range.upper}`;
}

function isHandoff(range) {
  return range.state === 'sending' || range.state === 'waiting';
}

function rangeRow(range) {
  const peer = range.peer ? (range.state === 'sending' ? ` → ${range.peer}` : ` ← ${range.peer}`) : '';
  const row = el('li', { class: `range-row state-${range.state}`, testid: 'range-row',
    dataset: { state: range.state, lower: String(range.lower), upper: String(range.upper) } },
  el('span', { class: 'mono', text: rangeText(range) }),
  el('span', { class: 'range-state', testid: 'range-state', text: `${range.state}${peer}` }));
  if (isHandoff(range)) {
    const done = range.keysTotal > 0 ? Math.round((range.keysDone / range.keysTotal) * 100) : 0;
    row.append(el('progress', { class: 'handoff-progress', testid: 'handoff-progress',
      max: String(Math.max(range.keysTotal, 1)), value: String(range.keysDone),
      title: `${range.keysDone} of ${range.keysTotal} keys` }),
    el('span', { class: 'muted small', testid: 'handoff-percent', text: `${done}%` }));
  }
  return row;
}

function replicaRow(replica) {
  return el('li', { class: `replica-row role-${replica.role}`, testid: 'replica-row',
    dataset: { raftId: replica.raftId, role: replica.role, healthy: String(replica.healthy), lag: String(replica.lag) } },
  el('span', { class: `health-dot ${replica.healthy ? 'ok' : 'bad'}`, 'aria-hidden': 'true' }),
  el('span', { class: 'mono', testid: 'replica-address', text: replica.address || `member ${replica.raftId}` }),
  el('span', { class: 'replica-role', testid: 'replica-role', text: replica.role }),
  el('span', { class: 'muted small', testid: 'replica-lag',
    text: `${replica.healthy ? 'healthy' : 'unhealthy'} · lag ${number(replica.lag)}` }));
}

/** A replica group's members under its leader's card: which leads, each one's health and lag. */
function groupBox(group) {
  return el('div', { class: 'group-box', testid: 'server-group', dataset: { group: group.name } },
    el('div', { class: 'small', testid: 'group-title',
      text: `group ${group.name} · member ${group.raftId} is ${group.role}` }),
    el('ul', { class: 'replica-list', testid: 'replica-list' }, group.replicas.map(replicaRow)));
}

function serverCard(server) {
  const healthy = server.health === 'SERVING';
  const config = server.configNum === null ? '–'
    : server.configNum === server.latestConfigNum ? `#${server.configNum}`
      : `#${server.configNum} → #${server.latestConfigNum}`;
  return el('li', { class: 'server-card', testid: 'dashboard-server', dataset: { server: server.server } },
    el('div', { class: 'server-card-head' },
      el('span', { class: `health-dot ${healthy ? 'ok' : 'bad'}`, testid: 'server-health-dot', 'aria-hidden': 'true' }),
      el('span', { class: 'mono legend-server', style: { color: serverColor(server.server) }, text: server.server }),
      el('span', { class: 'muted small', testid: 'server-health', text: server.health })),
    el('dl', { class: 'server-stats' },
      el('dt', { text: 'config' }), el('dd', { testid: 'server-config', text: config }),
      el('dt', { text: 'keys' }), el('dd', { testid: 'server-keys', text: number(server.keys) }),
      el('dt', { text: 'bytes' }), el('dd', { testid: 'server-bytes', text: bytes(server.bytes) }),
      el('dt', { text: 'req/s' }), el('dd', { testid: 'server-rate',
        text: server.requestsPerSecond === null ? '–' : server.requestsPerSecond.toFixed(1) })),
    server.group ? groupBox(server.group) : null,
    el('ul', { class: 'range-list', testid: 'server-range-list' },
      server.ranges.length ? server.ranges.map(rangeRow)
        : el('li', { class: 'muted small', text: 'no ranges reported' })));
}

function timeText(at) {
  return at === null ? 'before the gateway started' : new Date(at).toLocaleTimeString();
}

function timelineRow(change) {
  const parts = [];
  change.joined.forEach((server) => parts.push(`${server} joined`));
  change.left.forEach((server) => parts.push(`${server} left`));
  change.moves.forEach((move) => parts.push(
    `${move.lower}–${move.upper}: ${move.from || 'nobody'} → ${move.to || 'nobody'}`));
  return el('li', { class: 'timeline-row', testid: 'timeline-entry', dataset: { config: String(change.configNum) } },
    el('span', { class: 'config-num', text: `#${change.configNum}` }),
    el('span', { class: 'muted small', text: timeText(change.seenAt) }),
    el('span', { class: 'timeline-text', testid: 'timeline-text', text: parts.length ? parts.join(' · ') : 'no change' }));
}

/** The rate chart: one line per server, requests per second over the last minutes. */
function rateChart(container) {
  let chart = null;
  let shownServers = '';
  return (servers) => {
    const names = servers.map((s) => s.server);
    const times = [...new Set(servers.flatMap((s) => s.rate.map((p) => p.at)))].sort((a, b) => a - b);
    const data = [times.map((t) => t / 1000)];
    for (const server of servers) {
      const byTime = new Map(server.rate.map((p) => [p.at, p.perSecond]));
      data.push(times.map((t) => (byTime.has(t) ? byTime.get(t) : null)));
    }
    const key = names.join(',');
    if (!chart || key !== shownServers) {
      if (chart) chart.destroy();
      shownServers = key;
      chart = new uPlot({
        width: Math.max(container.clientWidth, 280),
        height: 160,
        legend: { show: true },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, 1)] } },
        series: [{}, ...names.map((name) => ({ label: name, stroke: serverColor(name), width: 2, spanGaps: true }))],
        axes: [{}, { label: 'req/s', size: 50 }],
      }, data, container);
    } else {
      chart.setData(data);
    }
    chart.setSize({ width: Math.max(container.clientWidth, 280), height: 160 });
  };
}

/** The live cards of the cluster page; polls until disposed. */
export function dashboardCards() {
  const servers = el('ul', { class: 'server-cards', testid: 'dashboard-servers' });
  const chartBox = el('div', { class: 'rate-chart', testid: 'rate-chart' });
  const timeline = el('ol', { class: 'timeline', testid: 'timeline' });
  const status = el('p', { class: 'muted small', testid: 'dashboard-status', text: 'Asking every server…' });
  const drawChart = rateChart(chartBox);
  let timer = null;
  let stopped = false;

  const draw = (view) => {
    if (view.updatedAt === 0) return;
    status.textContent = view.shardmasterError
      ? `The shardmaster ${view.shardmaster} does not answer (${view.shardmasterError}); showing what it said last.`
      : `Updated ${new Date(view.updatedAt).toLocaleTimeString()} from shardmaster ${view.shardmaster}.`;
    status.classList.toggle('error-text', Boolean(view.shardmasterError));
    mount(servers, view.servers.map(serverCard));
    mount(timeline, view.timeline.length ? view.timeline.map(timelineRow)
      : el('li', { class: 'muted small', text: 'No configuration yet.' }));
    drawChart(view.servers);
  };

  const poll = async () => {
    try {
      draw(await api.dashboard());
    } catch (e) {
      status.textContent = `Cannot load the dashboard: ${e.message}`;
      status.classList.add('error-text');
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  poll();

  const node = el('div', { class: 'stack' },
    el('div', { class: 'card' },
      el('h2', { class: 'card-title', text: 'Servers, live' }), status, servers),
    el('div', { class: 'card' },
      el('h2', { class: 'card-title', text: 'Requests per second, last 3 minutes' }), chartBox),
    el('div', { class: 'card' },
      el('h2', { class: 'card-title', text: 'Configurations' }), timeline));
  return { node, dispose: () => { stopped = true; clearTimeout(timer); } };
}
