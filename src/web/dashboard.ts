// Runs in the browser: the agent's dashboard at `/`. Plain DOM, text set with textContent only (a mount point or a
// command line is data, never markup), everything from the agent's own JSON API, nothing from anywhere else.
import type { ChartEntry, ChartSet } from '../charts/chart-set.ts';
import { formatValue } from '../charts/format-value.ts';
import { drawChart, followColorScheme } from './chart.ts';
import { drawSparkline } from './sparkline.ts';

interface StatusResult {
  name: string;
  instance?: string;
  status: Status;
  details: string;
  metrics: Record<string, number>;
}
interface StatusDocument {
  timestamp: string;
  host: string;
  status: Status;
  results: StatusResult[];
}
interface ProcessJson {
  pid: number;
  user: string;
  state: string;
  cpu_percent: number | null;
  memory_percent: number;
  rss_bytes: number;
  threads: number;
  read_bytes_per_second: number | null;
  write_bytes_per_second: number | null;
  command: string;
}
type Status = 'OK' | 'WARN' | 'CRIT' | 'UNKNOWN';
interface AlertEntry {
  kind: string;
  check: string;
  instance: string | null;
  status: Status;
  previous: Status;
  at: number;
  details: string;
  deliveries: Record<string, { outcome: string; reason?: string }>;
}
type Tab = 'overview' | 'charts' | 'processes' | 'alerts';

const SEVERITY: Record<Status, number> = { CRIT: 3, WARN: 2, UNKNOWN: 1, OK: 0 };
const RANGES = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
/** Ranges short enough to follow each cycle; longer ones are read again once a minute. */
const LIVE_RANGES = new Set(['15m', '1h', '6h']);
const POLL_MS = 5000;

const mainMetrics = JSON.parse(
  document.querySelector('meta[name="argus-main-metrics"]')?.getAttribute('content') ?? '{}',
) as Record<string, string>;

const stored = (key: string, fallback: string): string => localStorage.getItem(`argus.${key}`) ?? fallback;
const state = {
  tab: (location.hash.slice(1) || 'overview') as Tab,
  range: stored('range', '1h'),
  check: '',
  zoom: undefined as { from: number; to: number } | undefined,
  timeZone: stored('tz', 'UTC'),
  theme: stored('theme', 'auto'),
  sort: 'cpu',
  status: undefined as StatusDocument | undefined,
  chartsLoadedAt: 0,
};

/** An element with attributes and children; strings become text nodes, so nothing is parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.text()).trim()}`);
  return (await response.json()) as T;
}

const label = (result: { name?: string; check?: string; instance?: string | null }): string =>
  [result.name ?? result.check, result.instance].filter(Boolean).join(' ');

/** The value a card leads with: the check's main metric, with its unit guessed from the name where none is known. */
function mainValue(result: StatusResult, unit: string | undefined): string {
  // The same choice the server makes for the sparkline (charts-api.ts): the main metric, else the first one.
  const main = mainMetrics[result.name];
  const metric = main !== undefined && main in result.metrics ? main : Object.keys(result.metrics)[0];
  const value = metric === undefined ? undefined : result.metrics[metric];
  if (value === undefined || metric === undefined) return '';
  const guessed = unit ?? (/_percent$/.test(metric) ? 'percent' : /_bytes$/.test(metric) ? 'bytes' : undefined);
  return `${metric.replace(/_/g, ' ')} ${formatValue(guessed, value)}`;
}

const clock = (iso: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(state.timeZone === 'local' ? {} : { timeZone: state.timeZone }),
  }).format(new Date(iso));

// ---- the frame: header, tabs, a main area per tab -------------------------------------------------------------

const badge = el('span', { class: 'badge', id: 'overall' });
const host = el('span', { class: 'host' });
const updated = el('span', { class: 'updated' });
const problem = el('div', { class: 'problem', role: 'alert', hidden: '' });
const main = el('main');

function select(options: readonly string[], value: string, onChange: (value: string) => void, title: string) {
  const box = el(
    'select',
    { title, 'aria-label': title },
    ...options.map((option) => el('option', { value: option }, option)),
  );
  box.value = value;
  box.addEventListener('change', () => onChange(box.value));
  return box;
}

const applyTheme = (): void => followColorScheme(state.theme);

const tabs = el(
  'nav',
  { class: 'tabs' },
  ...(['overview', 'charts', 'processes', 'alerts'] as const).map((tab) => {
    const link = el('a', { href: `#${tab}`, 'data-tab': tab }, tab[0]!.toUpperCase() + tab.slice(1));
    return link;
  }),
);

document.body.append(
  el(
    'header',
    {},
    el('h1', {}, 'Argus'),
    host,
    badge,
    updated,
    el(
      'span',
      { class: 'controls' },
      select(
        ['UTC', 'local'],
        state.timeZone,
        (value) => {
          state.timeZone = value;
          localStorage.setItem('argus.tz', value);
          void show(true);
        },
        'Time zone',
      ),
      select(
        ['auto', 'light', 'dark'],
        state.theme,
        (value) => {
          state.theme = value;
          localStorage.setItem('argus.theme', value);
          applyTheme();
          void show(true);
        },
        'Theme',
      ),
    ),
  ),
  tabs,
  problem,
  main,
);
applyTheme();

function report(error: unknown): void {
  problem.textContent = error instanceof Error ? error.message : String(error);
  problem.hidden = false;
}

// ---- overview ---------------------------------------------------------------------------------------------------

async function renderOverview(): Promise<void> {
  const status = state.status;
  if (!status) return;
  let sparks: ChartSet | undefined;
  try {
    sparks = await api<ChartSet>('api/v1/charts?range=1h&main=1&columns=240');
  } catch {
    sparks = undefined; // history off: cards without sparklines
  }
  const byResult = new Map<string, ChartEntry>((sparks?.charts ?? []).map((entry) => [label(entry), entry]));
  const ordered = [...status.results].sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  const attention = ordered.filter((result) => result.status !== 'OK');
  const sparklines: [HTMLCanvasElement, NonNullable<ChartEntry['series']>, ChartEntry][] = [];
  const cards = ordered.map((result) => {
    const spark = byResult.get(label(result));
    const canvas = el('canvas', { class: 'spark', width: '240', height: '40' });
    const card = el(
      'article',
      { class: `card ${result.status}`, 'data-result': label(result) },
      el('div', { class: 'card-head' }, el('span', { class: `dot ${result.status}` }), el('strong', {}, label(result))),
      el('div', { class: 'value' }, mainValue(result, spark?.unit)),
      canvas,
      el('div', { class: 'details' }, result.details),
    );
    if (spark?.series) sparklines.push([canvas, spark.series, spark]);
    // A value that never moved in the hour (an idle interface) comes as a constant: drawn as the flat line it is.
    else if (spark?.constant !== undefined)
      sparklines.push([canvas, { x: [0, 1], avg: [spark.constant, spark.constant], q: 1, intervalMs: 0 }, spark]);
    return card;
  });
  main.replaceChildren(
    el(
      'section',
      { class: 'attention' },
      el('h2', {}, attention.length === 0 ? 'Every check is OK' : `Needs attention (${attention.length})`),
      ...attention.map((result) =>
        el(
          'div',
          { class: `incident ${result.status}` },
          el('span', { class: `badge ${result.status}` }, result.status),
          el('strong', {}, label(result)),
          ' ',
          result.details,
        ),
      ),
    ),
    el('section', { class: 'cards' }, ...cards),
  );
  // Once laid out: each canvas takes its card's width.
  for (const [canvas, series, entry] of sparklines) drawSparkline(canvas, series, entry.warn, entry.crit);
}

// ---- charts -------------------------------------------------------------------------------------------------------

async function renderCharts(): Promise<void> {
  const query = new URLSearchParams();
  if (state.zoom) {
    query.set('since', String(state.zoom.from / 1000));
    query.set('until', String(state.zoom.to / 1000));
  } else query.set('range', state.range);
  if (state.check) query.set('check', state.check);
  const set = await api<ChartSet>(`api/v1/charts?${query.toString()}`);
  state.chartsLoadedAt = Date.now();
  const checks = [...new Set((state.status?.results ?? []).map((result) => result.name))];
  const toolbar = el(
    'div',
    { class: 'toolbar' },
    el(
      'span',
      { class: 'ranges', role: 'group', 'aria-label': 'Time range' },
      ...RANGES.map((range) => {
        const button = el('button', { type: 'button', 'data-range': range }, range);
        if (range === state.range && !state.zoom) button.setAttribute('aria-pressed', 'true');
        button.addEventListener('click', () => {
          state.range = range;
          state.zoom = undefined;
          localStorage.setItem('argus.range', range);
          void show(true);
        });
        return button;
      }),
    ),
    select(
      ['all checks', ...checks],
      state.check || 'all checks',
      (value) => {
        state.check = value === 'all checks' ? '' : value;
        void show(true);
      },
      'Check',
    ),
  );
  if (state.zoom) {
    const reset = el('button', { type: 'button', class: 'reset' }, 'Reset zoom');
    reset.addEventListener('click', () => {
      state.zoom = undefined;
      void show(true);
    });
    toolbar.append(reset);
  }
  const sections: HTMLElement[] = [];
  const pending: [HTMLElement, ChartEntry][] = [];
  let group: HTMLElement | undefined;
  let groupName = '';
  for (const entry of set.charts) {
    if (label(entry) !== groupName) {
      groupName = label(entry);
      group = el('section', { class: 'chart-group' }, el('h3', {}, groupName));
      sections.push(group);
    }
    if (entry.constant !== undefined)
      group!.append(
        el('p', { class: 'constant' }, `${entry.metric}: ${formatValue(entry.unit, entry.constant)} all along`),
      );
    else {
      const holder = el('div', { class: 'chart', 'data-chart': `${label(entry)} ${entry.metric}` });
      holder.append(el('div', { class: 'chart-title' }, entry.metric));
      group!.append(holder);
      pending.push([holder, entry]);
    }
  }
  main.replaceChildren(
    toolbar,
    el(
      'p',
      { class: 'note' },
      `Times in ${state.timeZone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : state.timeZone}. ` +
        'Drag across a chart to zoom in. Dashed lines: warn and crit thresholds; tinted areas: incidents.',
    ),
    ...(sections.length > 0 ? sections : [el('p', {}, 'Nothing recorded in this window.')]),
  );
  document.body.dataset.range = state.zoom ? 'zoom' : state.range;
  document.body.dataset.window = `${set.grid.from} ${set.grid.to}`;
  const draw = (holder: HTMLElement, entry: ChartEntry): void => {
    drawChart(holder, entry, {
      ...set,
      timeZone: state.timeZone,
      width: Math.max(260, holder.clientWidth),
      height: 180,
      onZoom: (from, to) => {
        state.zoom = { from, to };
        void show(true);
      },
    });
  };
  // Charts are drawn as they come near the screen: 51 charts over 24 hours took 540 ms drawn at once, the first
  // screenful a fraction of that (bench (w2)).
  visibleCharts?.disconnect();
  const entries = new Map(pending);
  visibleCharts = new IntersectionObserver(
    (seen, observer) => {
      for (const { target, isIntersecting } of seen) {
        const entry = entries.get(target as HTMLElement);
        if (!isIntersecting || !entry) continue;
        observer.unobserve(target);
        draw(target as HTMLElement, entry);
      }
    },
    { rootMargin: '300px 0px' },
  );
  // Those on the first screen now, so that the page is drawn when it says it is ready.
  for (const [holder, entry] of pending)
    if (holder.getBoundingClientRect().top < window.innerHeight + 300) draw(holder, entry);
    else visibleCharts.observe(holder);
}

let visibleCharts: IntersectionObserver | undefined;

// ---- processes ----------------------------------------------------------------------------------------------------

const rate = (value: number | null): string => (value === null ? '-' : formatValue('bytes_per_second', value));

async function renderProcesses(): Promise<void> {
  const answer = await api<{ processes: ProcessJson[]; counts: Record<string, number> }>(
    `api/v1/processes?sort=${state.sort}&limit=40&kernel_threads=0`,
  );
  const head = ['PID', 'USER', 'S', 'CPU %', 'MEM %', 'RSS', 'READ', 'WRITE', 'THR', 'COMMAND'];
  const rows = answer.processes.map((process) =>
    el(
      'tr',
      {},
      ...[
        String(process.pid),
        process.user,
        process.state,
        process.cpu_percent === null ? '-' : process.cpu_percent.toFixed(1),
        process.memory_percent.toFixed(1),
        formatValue('bytes', process.rss_bytes),
        rate(process.read_bytes_per_second),
        rate(process.write_bytes_per_second),
        String(process.threads),
      ].map((cell) => el('td', { class: 'num' }, cell)),
      el('td', { class: 'command' }, process.command),
    ),
  );
  const counts = answer.counts;
  main.replaceChildren(
    el(
      'div',
      { class: 'toolbar' },
      el('span', {}, `Tasks ${counts.total}, ${counts.running} running, ${counts.threads} threads`),
      select(
        ['cpu', 'memory', 'io', 'time'],
        state.sort,
        (value) => {
          state.sort = value;
          void show(true);
        },
        'Sort by',
      ),
    ),
    scrollingTable('processes', head, rows),
  );
}

/** A table that scrolls sideways inside its box rather than widening the page (a phone, a long command line). */
const scrollingTable = (name: string, head: readonly string[], rows: readonly HTMLElement[]): HTMLElement =>
  el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { class: name },
      el('thead', {}, el('tr', {}, ...head.map((cell) => el('th', {}, cell)))),
      el('tbody', {}, ...rows),
    ),
  );

// ---- alerts -------------------------------------------------------------------------------------------------------

const timeOf = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(state.timeZone === 'local' ? {} : { timeZone: state.timeZone }),
  }).format(ms);

async function renderAlerts(): Promise<void> {
  const answer = await api<{ enabled: boolean; events: AlertEntry[] }>('api/v1/alerts');
  const rows = answer.events.map((event) =>
    el(
      'tr',
      { 'data-alert': event.kind },
      el('td', { class: 'time' }, timeOf(event.at)),
      el('td', {}, label(event)),
      el('td', {}, event.kind),
      el('td', {}, el('span', { class: `badge ${event.status}` }, event.status), ` from ${event.previous}`),
      el('td', { class: 'details' }, event.details),
      el(
        'td',
        {},
        ...Object.entries(event.deliveries).map(([notifier, delivery]) =>
          el(
            'div',
            { class: `delivery ${delivery.outcome}`, title: delivery.reason ?? '' },
            `${notifier}: ${delivery.outcome}`,
          ),
        ),
      ),
    ),
  );
  const head = ['Time', 'Check', 'Event', 'Status', 'Details', 'Notifications'];
  main.replaceChildren(
    el(
      'p',
      { class: 'note' },
      answer.enabled
        ? `The last ${answer.events.length} alert events since the agent started, newest first, and what each notifier did with them.`
        : 'Alerts are off (alerts.enabled: false): no events are raised.',
    ),
    scrollingTable('alerts', head, rows),
  );
}

// ---- refresh ------------------------------------------------------------------------------------------------------

let showing: Promise<void> = Promise.resolve();

/** Draws the current tab; `force` redraws it even when no new cycle came. Draws never overlap. */
function show(force: boolean): Promise<void> {
  showing = showing.then(async () => {
    try {
      const before = state.status?.timestamp;
      state.status = await api<StatusDocument>('api/v1/status');
      const fresh = state.status.timestamp !== before;
      host.textContent = state.status.host;
      badge.textContent = state.status.status;
      badge.className = `badge ${state.status.status}`;
      updated.textContent = `last cycle ${clock(state.status.timestamp)}`;
      document.title = `${state.status.status} · ${state.status.host} · Argus`;
      for (const link of tabs.querySelectorAll('a'))
        link.toggleAttribute('aria-current', link.dataset.tab === state.tab);
      const chartsDue =
        !state.zoom && (LIVE_RANGES.has(state.range) ? fresh : Date.now() - state.chartsLoadedAt > 60_000);
      if (state.tab === 'overview' && (force || fresh)) await renderOverview();
      else if (state.tab === 'charts' && (force || chartsDue)) await renderCharts();
      else if (state.tab === 'processes') await renderProcesses();
      else if (state.tab === 'alerts' && (force || fresh)) await renderAlerts();
      problem.hidden = true;
      document.body.dataset.cycle = state.status.timestamp;
      document.body.dataset.ready = state.tab;
    } catch (error) {
      report(error);
    }
  });
  return showing;
}

window.addEventListener('hashchange', () => {
  state.tab = (location.hash.slice(1) || 'overview') as Tab;
  void show(true);
});
let resizing: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => void show(true), 250);
});
// A hidden tab asks nothing: the agent does no work for a dashboard nobody looks at.
setInterval(() => {
  if (!document.hidden) void show(false);
}, POLL_MS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void show(false);
});
void show(true);
