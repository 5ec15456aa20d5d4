/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type uPlot from 'uplot';
import type { ErrorClass } from '../../../events/schema.js';
import type { LaneState, PodLane, ReportModel, RunReport } from '../../model.js';

/** What the page gets from the renderer besides uPlot: the same number formatting as the static HTML. */
export interface PageLibrary {
  formatMs(ms: number): string;
  formatSeconds(ms: number): string;
}

/** The uPlot instances of one run, built on first view. */
interface RunCharts {
  rps: uPlot;
  latency: uPlot;
  lanes: LanesPlot;
}

interface LaneRow {
  lane: PodLane | null;
  label: string;
  /** Indexes into the run's failures. */
  failures: number[];
}

/** The lanes chart keeps its rows on the instance, for hover and for tests. */
type LanesPlot = uPlot & { zerodropRows: LaneRow[] };

/** What tests and users can reach from the console: `window.zerodropReport`. */
export interface ReportPageApi {
  model: ReportModel;
  charts: Record<number, RunCharts>;
  select(index: number): void;
  /** Viewport coordinates of a failure's dot on the pod lanes (scrolled into view), for tests. Call after select(runIndex) has painted. */
  failurePoint(runIndex: number, failureIndex: number): { x: number; y: number };
  ready: true;
}

/**
 * The browser side of the report: draws the charts from the embedded model with uPlot. It only
 * reads the model (failure classes and lane states included); every number it shows was computed
 * by buildReport. This function runs in the page, not in Node: the renderer inlines its compiled
 * source and calls it with uPlot and the formatting functions, so it uses nothing from its
 * module's scope, only its parameters and the browser's globals. Text from the model reaches the
 * page as DOM text nodes, never as markup.
 */
export function reportPage(uPlotClass: typeof uPlot, lib: PageLibrary): void {
  const model = JSON.parse(document.getElementById('zerodrop-data')!.textContent ?? '{}') as ReportModel;
  const rootStyle = getComputedStyle(document.documentElement);
  const cssVar = (name: string): string => rootStyle.getPropertyValue(name).trim();
  const STATE_TEXT = new Map<LaneState, string>(model.legend.laneStates.map((s) => [s.state, s.hover]));
  const CONSUMER_COLOURS = ['#1c7ed6', '#0ca678', '#7950f2', '#e64980', '#495057'];
  const AXIS_WIDTH = 180; // every chart's y axis has this width so the plot areas, and so the time axes, line up
  const ROW = 28;
  const PRINT_WIDTH = 960;
  const tooltip = document.createElement('div');
  tooltip.className = 'tooltip';
  document.body.appendChild(tooltip);
  const charts: Record<number, RunCharts> = {};
  let syncing = false;

  const fmtMs = (ms: number | null | undefined): string => (ms == null ? '–' : lib.formatMs(ms));
  const fmtS = (s: number | null | undefined): string => (s == null ? '–' : lib.formatSeconds(s * 1000));
  const classColour = (c: string): string => cssVar(`--cls-${c}`) || '#868e96';
  function alpha(hex: string, a: number): string {
    const n = Number.parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
  }

  /** An element with a class and text, or a piece of text: how the tooltip is built. */
  type Part = Node | string;
  function el(tag: string, className: string | null, ...children: Part[]): HTMLElement {
    const e = document.createElement(tag);
    if (className) e.className = className;
    e.append(...children);
    return e;
  }
  const bold = (...text: Part[]) => el('b', null, ...text);
  const key = (text: string) => el('span', 'k', text);
  const br = () => document.createElement('br');

  function consumerColours(run: RunReport): Record<string, string> {
    const map: Record<string, string> = {};
    let i = 0;
    for (const lane of run.lanes) {
      for (const m of lane.marks) {
        if (m.consumer && !(m.consumer in map)) map[m.consumer] = m.consumer === 'endpointslice' ? '#868e96' : CONSUMER_COLOURS[i++ % CONSUMER_COLOURS.length]!;
      }
    }
    return map;
  }

  const xRange = (run: RunReport): [number, number] => [Math.min(run.series.t[0]!, run.timeRange.start) / 1000, run.timeRange.end / 1000];

  function baseOpts(run: RunReport, index: number, width: number, height: number, withLabels: boolean): uPlot.Options {
    const axisStyle = () => ({ grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dee2e6' } });
    return {
      width,
      height,
      cursor: { sync: { key: `run-${index}`, setSeries: false }, drag: { x: true, y: false }, points: { size: 6 }, y: false },
      scales: { x: { time: false } },
      series: [],
      axes: [
        { values: (_u, splits) => splits.map((v) => `${v} s`), ...axisStyle() },
        { size: AXIS_WIDTH, ...axisStyle() },
      ],
      hooks: {
        setScale: [
          (u, scaleKey) => {
            if (scaleKey !== 'x' || syncing) return;
            syncing = true;
            const set = charts[index];
            for (const k of ['rps', 'latency', 'lanes'] as const) {
              const other = set?.[k];
              if (other && other !== u) other.setScale('x', { min: u.scales.x!.min!, max: u.scales.x!.max! });
            }
            syncing = false;
          },
        ],
        draw: [(u) => drawRolloutMarks(u, run, withLabels)],
      },
    };
  }

  function drawRolloutMarks(u: uPlot, run: RunReport, withLabels: boolean): void {
    const ctx = u.ctx;
    const top = u.bbox.top;
    const h = u.bbox.height;
    const pr = uPlotClass.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    for (const m of run.rolloutMarks) {
      if (m.action !== 'start' && m.action !== 'complete' && m.action !== 'deadline-exceeded') continue;
      const x = Math.round(u.valToPos(m.t / 1000, 'x', true));
      ctx.strokeStyle = m.action === 'deadline-exceeded' ? '#c92a2a' : '#5c7cfa';
      ctx.setLineDash([4 * pr, 4 * pr]);
      ctx.lineWidth = pr;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + h);
      ctx.stroke();
      ctx.setLineDash([]);
      if (!withLabels) continue;
      ctx.fillStyle = '#4263eb';
      ctx.font = `${10 * pr}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.fillText(`rollout ${m.action}`, x + 4 * pr, top + 3 * pr);
    }
    ctx.restore();
  }

  function withEnds(run: RunReport, xs: number[], columns: Array<Array<number | null>>): uPlot.AlignedData {
    // Each chart carries the run's first and last instant so all three share one x extent (and a double-click resets them alike).
    const r = xRange(run);
    const x = xs.slice();
    const cols = columns.map((c) => c.slice());
    if (x.length > 0 && x[0]! > r[0]) {
      x.unshift(r[0]);
      for (const c of cols) c.unshift(null);
    }
    if (x.length > 0 && x[x.length - 1]! < r[1]) {
      x.push(r[1]);
      for (const c of cols) c.push(c[c.length - 1] ?? null);
    }
    return [x, ...cols];
  }

  function rpsChart(run: RunReport, index: number, el: HTMLElement, width: number): uPlot {
    const s = run.series;
    const present = model.legend.errorClasses.filter((c) => s.failedRps[c].some((v) => v > 0));
    const raw = [s.okRps, ...present.map((c) => s.failedRps[c])];
    const stacked: number[][] = [];
    let acc = s.okRps.map(() => 0);
    for (const col of raw) {
      acc = acc.map((a, i) => a + col[i]!);
      stacked.push(acc);
    }
    const data = withEnds(
      run,
      s.t.map((t) => t / 1000),
      stacked,
    );
    const step = uPlotClass.paths.stepped!({ align: 1 });
    const ok = cssVar('--ok');
    const rawAt = (k: number, i: number): number => {
      const off = data[0][0]! < s.t[0]! / 1000 ? 1 : 0;
      return raw[k]![i - off] ?? 0;
    };
    const series: uPlot.Series[] = [
      { label: 'time', value: (_u, v) => fmtS(v) },
      {
        label: 'succeeded',
        stroke: ok,
        fill: alpha(ok, 0.35),
        width: 1.5,
        paths: step,
        points: { show: false },
        value: (_u, _v, _si, i) => (i == null ? '–' : `${rawAt(0, i).toFixed(0)} req/s`),
      },
    ];
    present.forEach((c: ErrorClass, k) => {
      series.push({
        label: c,
        stroke: classColour(c),
        width: 1.5,
        paths: step,
        points: { show: false },
        value: (_u, _v, _si, i) => (i == null ? '–' : `${rawAt(k + 1, i).toFixed(0)} req/s`),
      });
    });
    const opts = baseOpts(run, index, width, 200, true);
    opts.series = series;
    opts.bands = present.map((c, k) => ({ series: [k + 2, k + 1], fill: alpha(classColour(c), 0.75) }));
    opts.scales!.y = { range: (_u, _min, max) => [0, Math.max(1, max * 1.08)] };
    const yAxis = opts.axes![1]!;
    yAxis.label = 'req/s';
    yAxis.values = (_u, splits) => splits.map((v) => v.toFixed(0));
    return new uPlotClass(opts, data, el);
  }

  function latencyChart(run: RunReport, index: number, el: HTMLElement, width: number): uPlot {
    const l = run.series.latency;
    const clamp = (col: Array<number | null>) => col.map((v) => (v == null ? null : Math.max(0.1, v)));
    const data = withEnds(
      run,
      run.series.t.map((t) => t / 1000),
      [clamp(l.p50), clamp(l.p90), clamp(l.p99), clamp(l.max)],
    );
    const fmt = (_u: uPlot, v: number | null) => (v == null ? '–' : fmtMs(v));
    const opts = baseOpts(run, index, width, 170, false);
    opts.series = [
      { label: 'time', value: (_u, v) => fmtS(v) },
      { label: 'p50', stroke: '#1c7ed6', width: 1.5, value: fmt, points: { show: false } },
      { label: 'p90', stroke: '#7048e8', width: 1.5, value: fmt, points: { show: false } },
      { label: 'p99', stroke: '#e8590c', width: 1.5, value: fmt, points: { show: false } },
      { label: 'max', stroke: '#adb5bd', width: 1, dash: [4, 3], value: fmt, points: { show: false } },
    ];
    // Without any successful request there is nothing to range on; keep a sane empty axis so the plot still lines up.
    opts.scales!.y = {
      distr: 3,
      log: 10,
      range: (_u, min, max) => (min == null || max == null ? [1, 1000] : uPlotClass.rangeLog(min, max, 10, true)),
    };
    const yAxis = opts.axes![1]!;
    yAxis.label = 'latency';
    yAxis.values = (_u, splits) => splits.map((v) => (v == null ? '' : fmtMs(v)));
    return new uPlotClass(opts, data, el);
  }

  function laneRows(run: RunReport): LaneRow[] {
    const rows: LaneRow[] = run.lanes.map((lane) => ({ lane, label: lane.pod, failures: lane.failures }));
    const orphan: number[] = [];
    run.failures.forEach((f, i) => {
      if (f.pod === null || !run.lanes.some((l) => l.pod === f.pod)) orphan.push(i);
    });
    if (orphan.length > 0) rows.unshift({ lane: null, label: '(no pod known)', failures: orphan });
    return rows;
  }

  function lanesChart(run: RunReport, index: number, el: HTMLElement, width: number): LanesPlot {
    const rows = laneRows(run);
    const n = Math.max(1, rows.length);
    const colours = consumerColours(run);
    const r = xRange(run);
    const opts = baseOpts(run, index, width, n * ROW + 64, false); // + the x axis (50 px) and padding
    opts.series = [{ label: 'time' }, { label: 'lanes', paths: () => null, points: { show: false } }];
    opts.legend = { show: false };
    opts.cursor!.points = { show: false };
    opts.scales!.y = { auto: false, range: [0, n] };
    const yAxis = opts.axes![1]!;
    yAxis.splits = () => rows.map((_row, i) => n - i - 0.5);
    yAxis.values = (_u, splits) =>
      splits.map((v) => {
        const row = rows[Math.round(n - v - 0.5)];
        return row ? shorten(row.label, 26) : '';
      });
    yAxis.grid = { show: false };
    yAxis.ticks = { show: false };
    yAxis.space = 8; // one label per lane, however few lanes
    yAxis.font = `11px ${cssVar('--mono')}`;
    yAxis.label = 'pods';
    opts.hooks!.draw!.unshift((u) => drawLanes(u, run, rows, colours));
    opts.hooks!.setCursor = [(u) => laneHover(u, run, rows)];
    const u = new uPlotClass(opts, [r, [null, null]], el) as LanesPlot;
    u.over.addEventListener('mouseleave', () => {
      tooltip.style.display = 'none';
    });
    u.zerodropRows = rows;
    addConsumerLegend(el, colours);
    return u;
  }

  const shorten = (s: string, max: number): string => (s.length <= max ? s : `…${s.slice(s.length - max + 1)}`);

  function addConsumerLegend(el: HTMLElement, colours: Record<string, string>): void {
    const legend = el.parentElement?.querySelector('.lanes-legend');
    if (!legend || legend.querySelector('.consumer')) return;
    for (const c of Object.keys(colours)) {
      const span = el.ownerDocument.createElement('span');
      span.className = 'mk consumer';
      span.style.color = colours[c]!;
      span.textContent = `┃ ${c}`;
      legend.appendChild(span);
    }
  }

  function rowGeometry(u: uPlot, rows: LaneRow[], i: number): { top: number; height: number; mid: number } {
    const n = Math.max(1, rows.length);
    const y0 = u.valToPos(n - i, 'y', true);
    const y1 = u.valToPos(n - i - 1, 'y', true);
    return { top: y0, height: y1 - y0, mid: (y0 + y1) / 2 };
  }

  function drawLanes(u: uPlot, run: RunReport, rows: LaneRow[], colours: Record<string, string>): void {
    const ctx = u.ctx;
    const pr = uPlotClass.pxRatio;
    const b = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(b.left, b.top, b.width, b.height);
    ctx.clip();
    rows.forEach((row, i) => {
      const g = rowGeometry(u, rows, i);
      if (i % 2 === 1) {
        ctx.fillStyle = '#f8f9fb';
        ctx.fillRect(b.left, g.top, b.width, g.height);
      }
      const barH = g.height * 0.5;
      const barTop = g.mid - barH / 2;
      if (!row.lane) return drawFailures(u, run, row, g);
      for (const iv of row.lane.intervals) {
        const x0 = u.valToPos(iv.start / 1000, 'x', true);
        const x1 = u.valToPos(iv.end / 1000, 'x', true);
        ctx.fillStyle = cssVar(`--st-${iv.state}`);
        ctx.fillRect(x0, barTop, Math.max(pr, x1 - x0), barH);
      }
      drawFailures(u, run, row, g);
      for (const m of row.lane.marks) {
        const x = Math.round(u.valToPos(m.t / 1000, 'x', true));
        if (m.kind === 'endpoint-removed') {
          ctx.fillStyle = colours[m.consumer ?? ''] || '#1c7ed6';
          ctx.fillRect(x - pr, g.top + 2 * pr, 2.5 * pr, g.height - 4 * pr);
        } else if (m.kind === 'endpoint-added') {
          ctx.fillStyle = alpha(colours[m.consumer ?? ''] || '#1c7ed6', 0.45);
          ctx.fillRect(x - 0.5 * pr, barTop + barH, 1.5 * pr, g.height / 2 - barH / 2 - 2 * pr);
        } else if (m.kind === 'signal') {
          ctx.fillStyle = cssVar('--mk-signal');
          ctx.beginPath();
          ctx.moveTo(x - 5 * pr, barTop - 5 * pr);
          ctx.lineTo(x + 5 * pr, barTop - 5 * pr);
          ctx.lineTo(x, barTop + 2 * pr);
          ctx.closePath();
          ctx.fill();
        } else if (m.kind === 'kill') {
          ctx.strokeStyle = cssVar('--mk-kill');
          ctx.lineWidth = 2.2 * pr;
          const k = 4.5 * pr;
          ctx.beginPath();
          ctx.moveTo(x - k, g.mid - k);
          ctx.lineTo(x + k, g.mid + k);
          ctx.moveTo(x + k, g.mid - k);
          ctx.lineTo(x - k, g.mid + k);
          ctx.stroke();
        } else if (m.kind === 'restart') {
          ctx.fillStyle = '#c92a2a';
          ctx.font = `${12 * pr}px system-ui, sans-serif`;
          ctx.textBaseline = 'middle';
          ctx.fillText('↻', x - 4 * pr, g.mid);
        }
      }
    });
    ctx.restore();
  }

  // Failures go under the markers so a SIGKILL or an endpoint removal stays visible inside a burst.
  function drawFailures(u: uPlot, run: RunReport, row: LaneRow, g: { mid: number }): void {
    const ctx = u.ctx;
    const pr = uPlotClass.pxRatio;
    ctx.lineWidth = pr;
    ctx.strokeStyle = '#fff';
    for (const fi of row.failures) {
      const f = run.failures[fi]!;
      ctx.fillStyle = classColour(f.error);
      ctx.beginPath();
      ctx.arc(u.valToPos(f.t / 1000, 'x', true), g.mid, 3.6 * pr, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }

  const hideTooltip = (): void => {
    tooltip.style.display = 'none';
  };

  function laneHover(u: uPlot, run: RunReport, rows: LaneRow[]): void {
    const left = u.cursor.left;
    const top = u.cursor.top;
    if (left == null || left < 0 || top == null || top < 0) return hideTooltip();
    const n = Math.max(1, rows.length);
    const rowCss = u.bbox.height / uPlotClass.pxRatio / n;
    const row = rows[Math.floor(top / rowCss)];
    if (!row) return hideTooltip();
    const t = u.posToVal(left, 'x') * 1000;
    const tol = u.posToVal(left + 6, 'x') * 1000 - t;
    const parts: Part[] = [bold(row.label)];
    if (row.lane?.revision) parts.push(' ', key(row.lane.revision));
    parts.push(br());
    const near = row.failures.filter((fi) => Math.abs(run.failures[fi]!.t - t) <= tol);
    if (near.length > 0) {
      near.sort((a, b) => Math.abs(run.failures[a]!.t - t) - Math.abs(run.failures[b]!.t - t));
      const f = run.failures[near[0]!]!;
      const swatch = el('span', 'sw');
      swatch.style.background = classColour(f.error);
      parts.push(swatch, bold(`failed: ${f.error}`));
      if (f.status !== undefined) parts.push(` HTTP ${f.status}`);
      if (f.code) parts.push(` ${f.code}`);
      parts.push(
        br(),
        key('sent at'),
        ` ${fmtS(f.t / 1000)} `,
        key('took'),
        ` ${fmtMs(f.latencyMs)}`,
        br(),
        key('pod'),
        ` ${f.pod === null ? 'unknown' : f.pod}`,
      );
      if (near.length > 1) {
        const counts: Record<string, number> = {};
        for (const fi of near) {
          const c = run.failures[fi]!.error;
          counts[c] = (counts[c] ?? 0) + 1;
        }
        parts.push(
          br(),
          key(`${near.length} failures here:`),
          ` ${Object.keys(counts)
            .map((c) => `${c} ${counts[c]}`)
            .join(', ')}`,
        );
      }
      parts.push(...stateAt(row, f.t));
    } else {
      const marks = row.lane ? row.lane.marks.filter((m) => Math.abs(m.t - t) <= tol && m.kind !== 'probe-fail') : [];
      if (marks.length > 0) marks.forEach((m, i) => parts.push(...(i > 0 ? [br()] : []), `${fmtS(m.t / 1000)} ${m.label}`));
      else if (row.lane) {
        const iv = row.lane.intervals.find((x) => t >= x.start && t < x.end);
        if (!iv) return hideTooltip();
        parts.push(
          bold(STATE_TEXT.get(iv.state) ?? iv.state),
          br(),
          key('from'),
          ` ${fmtS(iv.start / 1000)} `,
          key('to'),
          ` ${fmtS(iv.end / 1000)} (${fmtMs(iv.end - iv.start)})`,
          br(),
          key('because'),
          ` ${iv.cause}`,
        );
      } else return hideTooltip();
    }
    const rect = u.over.getBoundingClientRect();
    tooltip.replaceChildren(...parts);
    tooltip.style.display = 'block';
    let x = rect.left + left + 14;
    let y = rect.top + top + 14;
    const w = tooltip.offsetWidth;
    const h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = rect.left + left - w - 14;
    if (y + h > window.innerHeight - 8) y = rect.top + top - h - 14;
    // Page coordinates (position: absolute) so the tooltip stays put in full-page captures.
    tooltip.style.left = `${x + window.scrollX}px`;
    tooltip.style.top = `${y + window.scrollY}px`;
  }

  function stateAt(row: LaneRow, t: number): Part[] {
    if (!row.lane) return [];
    const iv = row.lane.intervals.find((x) => t >= x.start && t < x.end);
    if (iv) return [br(), key('pod was'), ` ${STATE_TEXT.get(iv.state) ?? iv.state}`];
    const last = row.lane.intervals[row.lane.intervals.length - 1];
    return last && t >= last.end ? [br(), key('pod was'), ' already deleted (a consumer still routed to it)'] : [];
  }

  const chartWidth = (el: Element): number => (el.clientWidth > 0 ? el.clientWidth : PRINT_WIDTH);

  function build(index: number): RunCharts {
    const existing = charts[index];
    if (existing) return existing;
    const section = document.querySelector(`section.run[data-run="${index}"]`)!;
    const run = model.runs[index]!;
    const chartEl = (k: string) => section.querySelector<HTMLElement>(`[data-chart="${k}"]`)!;
    const set = {} as RunCharts;
    charts[index] = set;
    set.rps = rpsChart(run, index, chartEl('rps'), chartWidth(chartEl('rps')));
    set.latency = latencyChart(run, index, chartEl('latency'), chartWidth(chartEl('latency')));
    set.lanes = lanesChart(run, index, chartEl('lanes'), chartWidth(chartEl('lanes')));
    return set;
  }

  function resizeAll(width?: number): void {
    for (const k of Object.keys(charts)) {
      for (const c of ['rps', 'latency', 'lanes'] as const) {
        const u = charts[Number(k)]![c];
        const w = width || chartWidth(u.root.parentElement!);
        // A height-only resize (a full-page capture, a mobile toolbar) must not reset the cursor and hide the tooltip.
        if (w !== u.width) u.setSize({ width: w, height: u.height });
      }
    }
  }

  function select(index: number): void {
    for (const s of document.querySelectorAll<HTMLElement>('section.run')) s.classList.toggle('active', Number(s.dataset.run) === index);
    for (const b of document.querySelectorAll<HTMLElement>('nav.tabs button')) b.classList.toggle('active', Number(b.dataset.run) === index);
    for (const r of document.querySelectorAll<HTMLElement>('tr[data-select-run]')) r.classList.toggle('selected', Number(r.dataset.selectRun) === index);
    hideTooltip();
    build(index);
    resizeAll();
  }

  for (const b of document.querySelectorAll<HTMLElement>('nav.tabs button')) {
    b.addEventListener('click', () => {
      select(Number(b.dataset.run));
      history.replaceState(null, '', `#run-${b.dataset.run}`);
    });
  }
  for (const r of document.querySelectorAll<HTMLElement>('tr[data-select-run]')) {
    r.addEventListener('click', (e) => {
      e.preventDefault();
      select(Number(r.dataset.selectRun));
      document.querySelector('nav.tabs')!.scrollIntoView({ behavior: 'smooth' });
    });
  }
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => resizeAll(), 100);
  });
  // Printing shows every run one per page: build the hidden ones and size everything to the page.
  window.addEventListener('beforeprint', () => {
    document.body.classList.add('printing');
    model.runs.forEach((_r, i) => build(i));
    resizeAll(PRINT_WIDTH);
  });
  window.addEventListener('afterprint', () => {
    document.body.classList.remove('printing');
    resizeAll();
  });

  const fromHash = /^#run-(\d+)$/.exec(location.hash);
  const first = fromHash && model.runs[Number(fromHash[1])] ? Number(fromHash[1]) : 0;
  if (model.runs.length > 0) select(first);

  const api: ReportPageApi = {
    model,
    charts,
    select,
    failurePoint: (runIndex, failureIndex) => {
      const u = charts[runIndex]!.lanes;
      const rows = u.zerodropRows;
      const i = rows.findIndex((row) => row.failures.includes(failureIndex));
      u.over.scrollIntoView({ block: 'center' });
      const rect = u.over.getBoundingClientRect();
      const rowCss = u.bbox.height / uPlotClass.pxRatio / Math.max(1, rows.length);
      return { x: rect.left + u.valToPos(model.runs[runIndex]!.failures[failureIndex]!.t / 1000, 'x'), y: rect.top + (i + 0.5) * rowCss };
    },
    ready: true,
  };
  (window as unknown as { zerodropReport: ReportPageApi }).zerodropReport = api;
}
