import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../scripts/chromium.mjs';
import { buildReport } from '../../src/report/buildReport.js';
import { runMiniRollout } from './fixtures/miniRollout.js';
import { allScenarioEvents, toNdjson } from './fixtures/rollingUpdateTimeline.js';

// The report as a user gets it: the compiled CLI writes the HTML from an NDJSON file, Debian's
// Chromium opens it offline, and we look at pixels, lanes, hover details and requests.
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const haveChromium = existsSync(CHROMIUM);
const haveDist = existsSync(cli);
if (!haveChromium) console.warn(`!! ${CHROMIUM} missing (apt-get install chromium): SKIPPING the HTML report browser test`);
if (!haveDist) console.warn('!! dist/ missing (run npm run build): SKIPPING the HTML report browser test');

const outDir = join(root, 'test-output');
const events = allScenarioEvents();
const model = buildReport(events);

describe.skipIf(!haveChromium || !haveDist)('HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  let reportUrl: string;
  const allowed = new Set<string>();

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    const eventsFile = join(outDir, 'report-e2e.ndjson');
    const htmlFile = join(outDir, 'report-e2e.html');
    writeFileSync(eventsFile, toNdjson(events));
    rmSync(htmlFile, { force: true });
    const stdout = execFileSync(process.execPath, [cli, 'report', eventsFile, '-o', htmlFile], { encoding: 'utf8' });
    expect(stdout).toMatch(/wrote .*report-e2e\.html: baseline FAIL \(\d+ failed\), probes FAIL .*probes-prestop PASS/);
    reportUrl = pathToFileURL(htmlFile).href;
    allowed.add(reportUrl);

    ({ context, close: closeBrowser } = await launchChromium({ width: 1400, height: 900 }));
    // Anything but the report file itself is a failure: the page must work offline.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (allowed.has(url)) return route.continue();
      foreignRequests.push(url);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(reportUrl);
    await page.waitForFunction(() => (window as unknown as { zerodropReport?: { ready: boolean } }).zerodropReport?.ready === true);
  }, 60_000);

  afterAll(async () => {
    await closeBrowser?.();
  });

  async function select(run: number) {
    await page.evaluate((r) => (window as any).zerodropReport.select(r), run);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  /** Pixels in a chart's plot area that are neither background nor grid: proof something was drawn. */
  async function inkedPixels(run: number, chart: 'rps' | 'latency' | 'lanes'): Promise<number> {
    return page.evaluate(
      ([r, c]) => {
        const u = (window as any).zerodropReport.charts[r][c];
        const canvas = u.ctx.canvas as HTMLCanvasElement;
        const { left, top, width, height } = u.bbox;
        const data = canvas.getContext('2d')!.getImageData(left, top, width, height).data;
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [red, green, blue, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
          if (a > 0 && Math.max(red, green, blue) - Math.min(red, green, blue) > 40) inked++;
        }
        return inked;
      },
      [run, chart] as const,
    );
  }

  it('shows every run with its verdict at the top', async () => {
    const rows = await page.locator('table.overview tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^baseline[\s\S]*FAIL/);
    expect(rows[2]).toMatch(/^probes-prestop[\s\S]*PASS/);
    expect(await page.locator('section.run.active .verdict .badge').textContent()).toBe('FAIL');
  });

  it('draws all three charts of every run (canvas not blank)', async () => {
    for (let run = 0; run < model.runs.length; run++) {
      await select(run);
      for (const chart of ['rps', 'latency', 'lanes'] as const) {
        expect(await inkedPixels(run, chart), `${model.runs[run]!.run} ${chart}`).toBeGreaterThan(2000);
      }
    }
  });

  it('has one lane per pod, each drawn where the pod was ready', async () => {
    await select(0);
    const expected = model.runs[0]!.lanes.map((l) => l.pod);
    const lanes = await page.evaluate(() => {
      const u = (window as any).zerodropReport.charts[0].lanes;
      const rows = u.zerodropRows as Array<{ label: string; lane: { intervals: Array<{ state: string; start: number; end: number }> } | null }>;
      const ctx = (u.ctx.canvas as HTMLCanvasElement).getContext('2d')!;
      const n = rows.length;
      return rows.map((row, i) => {
        const ready = row.lane?.intervals.find((iv) => iv.state === 'ready');
        if (!ready) return { label: row.label, pixel: null };
        const x = u.valToPos((ready.start + ready.end) / 2000, 'x', true);
        const y = (u.valToPos(n - i, 'y', true) + u.valToPos(n - i - 1, 'y', true)) / 2;
        return { label: row.label, pixel: Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data) };
      });
    });
    const podLanes = lanes.filter((l) => !l.label.startsWith('('));
    expect(podLanes.map((l) => l.label)).toEqual(expected);
    // --st-ready is #8ce99a.
    for (const lane of podLanes) expect(lane.pixel, lane.label).toEqual([0x8c, 0xe9, 0x9a, 255]);
  });

  it('shows a failure’s class, pod and timing when hovering its dot', async () => {
    await select(0);
    const failure = model.runs[0]!.failures.findIndex((f) => f.error === 'refused' && f.pod !== null);
    const point = await page.evaluate(([r, f]) => (window as any).zerodropReport.failurePoint(r, f), [0, failure] as const);
    await page.mouse.move(point.x - 40, point.y);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    const tooltip = page.locator('.tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const text = await tooltip.textContent();
    const f = model.runs[0]!.failures[failure]!;
    expect(text).toContain('failed: refused');
    expect(text).toContain(f.pod!);
    expect(text).toMatch(/sent at \d+\.\d\d s/);
    await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
    expect(statSync(join(outDir, 'report.png')).size).toBeGreaterThan(50_000);
  });

  it('zooms all three charts together when dragging across one, so the lanes stay aligned with the rates', async () => {
    await select(1);
    const box = await page.evaluate(() => {
      const u = (window as any).zerodropReport.charts[1].rps;
      u.over.scrollIntoView({ block: 'center' });
      const r = u.over.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    });
    await page.mouse.move(box.x + box.w * 0.4, box.y + box.h / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.w * 0.6, box.y + box.h / 2, { steps: 5 });
    await page.mouse.up();
    const scales = await page.evaluate(() => {
      const set = (window as any).zerodropReport.charts[1];
      return ['rps', 'latency', 'lanes'].map((k) => [set[k].scales.x.min, set[k].scales.x.max]);
    });
    const [rps, latency, lanes] = scales as [[number, number], [number, number], [number, number]];
    const full = model.runs[1]!.timeRange.end / 1000;
    expect(rps[1] - rps[0]).toBeLessThan(full * 0.3);
    expect(latency).toEqual(rps);
    expect(lanes).toEqual(rps);
    await page.mouse.dblclick(box.x + box.w / 2, box.y + box.h / 2);
  });

  it('prints every run, one after another, with the tabs hidden', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const shown = await page.locator('section.run').evaluateAll((els) => els.map((e) => getComputedStyle(e).display));
    expect(shown).toEqual(['block', 'block', 'block', 'block']);
    expect(await page.locator('nav.tabs').isVisible()).toBe(false);
    expect(await inkedPixels(3, 'lanes')).toBeGreaterThan(2000);
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    expect(pdf.byteLength).toBeGreaterThan(50_000);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });
  });

  it('renders a rollout recorded from real processes and sockets: every pod a lane, the baseline’s failures on them', async () => {
    // Real timings (no script chose them): 2 replicas, surge 1, consumer delay 300 ms.
    const recorded = [
      ...(await runMiniRollout({ run: 'mini-baseline', readinessProbe: false, preStopMs: 0, consumerDelayMs: 300, rate: 100 })),
      ...(await runMiniRollout({ run: 'mini-prestop', readinessProbe: true, preStopMs: 600, consumerDelayMs: 300, rate: 100 })),
    ];
    const miniModel = buildReport(recorded);
    const baseline = miniModel.runs[0]!;
    // No probe and no preStop on real processes must drop requests; otherwise this test proves nothing.
    expect(baseline.summary.failures).toBeGreaterThan(0);
    const eventsFile = join(outDir, 'report-mini.ndjson');
    const htmlFile = join(outDir, 'report-mini.html');
    writeFileSync(eventsFile, toNdjson(recorded));
    execFileSync(process.execPath, [cli, 'report', eventsFile, '-o', htmlFile, '--force'], { encoding: 'utf8' });
    const miniUrl = pathToFileURL(htmlFile).href;
    allowed.add(miniUrl);
    const mini = await context.newPage();
    mini.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    mini.on('pageerror', (e) => consoleErrors.push(e.message));
    await mini.goto(miniUrl);
    await mini.waitForFunction(() => (window as any).zerodropReport?.ready === true);
    await mini.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const drawn = await mini.evaluate(() => {
      const u = (window as any).zerodropReport.charts[0].lanes;
      const ctx = (u.ctx.canvas as HTMLCanvasElement).getContext('2d')!;
      const { left, top, width, height } = u.bbox;
      const data = ctx.getImageData(left, top, width, height).data;
      let failureRed = 0;
      // --cls-refused is #e03131.
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i]! - 0xe0) < 8 && Math.abs(data[i + 1]! - 0x31) < 8 && Math.abs(data[i + 2]! - 0x31) < 8) failureRed++;
      return { rows: (u.zerodropRows as Array<{ label: string }>).map((r) => r.label), failureRed };
    });
    expect(drawn.rows.filter((l) => !l.startsWith('('))).toEqual(baseline.lanes.map((l) => l.pod));
    expect(drawn.rows).toContain('v1-a');
    expect(drawn.failureRed).toBeGreaterThan(20);
    await mini.screenshot({ path: join(outDir, 'report-mini.png'), fullPage: true });
    await mini.close();
  });

  it('copes with thin streams: a run with no events after run-start, pods without requests, failures without pods', async () => {
    const thin = [
      { t: 0, run: 'empty', type: 'run-start', schema: 1, startedAt: '2026-01-01T00:00:00Z', command: 'x', source: 'cluster', config: {} },
      { t: 0, run: 'pods-only', type: 'pod', pod: 'a', phase: 'terminating' },
      { t: 500, run: 'pods-only', type: 'container', pod: 'a', container: 'app', action: 'signal', signal: 'SIGTERM' },
      { t: 10, run: 'orphans', type: 'request', intended: 10, start: 10, end: 11, error: 'refused' },
      { t: 20, run: 'orphans', type: 'request', intended: 20, start: 20, end: 1020, error: 'timeout' },
    ];
    const eventsFile = join(outDir, 'report-thin.ndjson');
    const htmlFile = join(outDir, 'report-thin.html');
    writeFileSync(eventsFile, thin.map((e) => JSON.stringify(e)).join('\n'));
    execFileSync(process.execPath, [cli, 'report', eventsFile, '-o', htmlFile, '--force'], { encoding: 'utf8' });
    const url = pathToFileURL(htmlFile).href;
    allowed.add(url);
    const thinPage = await context.newPage();
    thinPage.on('pageerror', (e) => consoleErrors.push(e.message));
    thinPage.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await thinPage.goto(url);
    await thinPage.waitForFunction(() => (window as any).zerodropReport?.ready === true);
    const labels: string[][] = [];
    for (let run = 0; run < 3; run++) {
      await thinPage.evaluate((r) => (window as any).zerodropReport.select(r), run);
      labels.push(await thinPage.evaluate((r) => (window as any).zerodropReport.charts[r].lanes.zerodropRows.map((row: { label: string }) => row.label), run));
    }
    expect(labels).toEqual([[], ['a'], ['(no pod known)']]);
    await thinPage.close();
  });

  it('made no network request and logged no console error', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(readFileSync(fileURLToPath(reportUrl), 'utf8')).not.toMatch(/<script[^>]+src=/);
  });
});
