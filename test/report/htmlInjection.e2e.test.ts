import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../scripts/chromium.mjs';
import type { ZerodropEvent } from '../../src/events/schema.js';
import { renderHtmlReport } from '../../src/report/html/renderHtmlReport.js';

// An events file is input like any other: whatever its strings hold, opening its report in a
// browser must run nothing and add no element. Every string of a stream covering every event
// type and field carries a payload aimed at a different HTML context (text, double- and
// single-quoted attribute, a script element, an event handler), and Chromium shows what became
// of it: no payload ran, nothing was injected, and each one is there to read as text.
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`!! ${CHROMIUM} missing (apt-get install chromium): SKIPPING the HTML injection browser test`);
if (!existsSync(cli)) console.warn('!! dist/ missing (run npm run build): SKIPPING the HTML injection browser test');
const outDir = join(root, 'test-output');

/** A payload naming the field it sits in, so a report that runs one says which field leaked. */
const payload = (field: string) =>
  `${field}"'><img src=x data-zd-injected onerror="window.__zdRan.push('${field}')"><svg data-zd-injected onload="window.__zdRan.push('${field}')"></svg><script>window.__zdRan.push('${field}')</script><zd-injected></zd-injected></script><!--`;

/** Fields whose values are one of a fixed set (the schema refuses anything else) and must stay valid for the file to be read. */
const ENUM_FIELDS = new Set(['type', 'source', 'phase', 'action', 'probe', 'change', 'error', 'level', 'verdict']);

/** One run with every event type and every optional field, values plausible. */
function runEvents(run: string): ZerodropEvent[] {
  const base = { run };
  return [
    {
      ...base,
      t: 0,
      type: 'run-start',
      schema: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      description: 'desc',
      command: 'zerodrop lab x.yaml',
      source: 'lab',
      config: { replicas: 2, proxy: 'l7', nested: { note: 'n' } },
      audit: [{ rule: 'prestop-missing', severity: 'error', message: 'no preStop', container: 'app' }],
    },
    { ...base, t: 0, type: 'pod', pod: 'web-1', phase: 'created', revision: 'rev1', detail: 'created by rs' },
    { ...base, t: 10, type: 'container', pod: 'web-1', container: 'app', action: 'start', detail: 'pid 1' },
    { ...base, t: 20, type: 'container', pod: 'web-1', container: 'app', action: 'probe-fail', probe: 'readiness', detail: 'refused' },
    { ...base, t: 300, type: 'pod', pod: 'web-1', phase: 'ready', revision: 'rev1', detail: 'probe ok' },
    { ...base, t: 400, type: 'rollout', action: 'start', revision: 'rev2', replicas: 2, detail: 'maxSurge 1' },
    { ...base, t: 500, type: 'request', intended: 500, start: 500, end: 510, status: 200, pod: 'web-1' },
    { ...base, t: 600, type: 'request', intended: 600, start: 600, end: 601, error: 'refused', code: 'ECONNREFUSED', pod: 'web-1' },
    { ...base, t: 650, type: 'request', intended: 650, start: 650, end: 651, error: 'reset', code: 'ECONNRESET' },
    { ...base, t: 700, type: 'pod', pod: 'web-1', phase: 'terminating', revision: 'rev1', detail: 'deleted' },
    { ...base, t: 710, type: 'container', pod: 'web-1', container: 'app', action: 'prestop-start', detail: 'sleep 1' },
    { ...base, t: 800, type: 'endpoint', pod: 'web-1', consumer: 'proxy', change: 'removed', conditions: { ready: false, serving: true, terminating: true } },
    { ...base, t: 1700, type: 'container', pod: 'web-1', container: 'app', action: 'signal', signal: 'SIGTERM', detail: 'SIGKILL in 2 s' },
    { ...base, t: 3700, type: 'container', pod: 'web-1', container: 'app', action: 'kill', signal: 'SIGKILL' },
    {
      ...base,
      t: 3710,
      type: 'container',
      pod: 'web-1',
      container: 'app',
      action: 'exit',
      exitCode: 137,
      signal: 'SIGKILL',
      detail: 'gone',
      stderr: ['last words'],
    },
    { ...base, t: 3720, type: 'container', pod: 'web-1', container: 'app', action: 'restart', detail: 'crashed' },
    { ...base, t: 3800, type: 'pod', pod: 'web-1', phase: 'exited', revision: 'rev1' },
    { ...base, t: 3900, type: 'pod', pod: 'web-1', phase: 'deleted', revision: 'rev1' },
    { ...base, t: 1000, type: 'load', sent: 100, lagMs: 1, inFlight: 1 },
    { ...base, t: 4000, type: 'note', level: 'warn', message: 'scaled down' },
    {
      ...base,
      t: 4100,
      type: 'run-end',
      verdict: 'fail',
      reasons: ['2 requests failed'],
      requests: 3,
      failures: 2,
      failuresByClass: { refused: 1, reset: 1 },
      rollout: { completed: true, durationMs: 3500 },
    },
  ];
}

/**
 * Every string (and every key of the free-form config) replaced by a payload naming its field and
 * original value, so one pod keeps one name across events; fixed-set fields too unless `keepEnums`.
 */
function hostile(value: unknown, field: string, keepEnums: boolean): unknown {
  if (typeof value === 'string') return payload(`${field}=${value}`);
  if (Array.isArray(value)) return value.map((v) => hostile(v, field, keepEnums));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const keep = k === 'type' || (keepEnums && ENUM_FIELDS.has(k)) || field === 'failuresByClass';
    out[field === 'config' || field === 'nested' ? payload(`key=${k}`) : k] = keep ? v : hostile(v, k, keepEnums);
  }
  return out;
}

const hostileEvents = (keepEnums: boolean): ZerodropEvent[] => runEvents('r').map((e) => hostile(e, 'event', keepEnums) as ZerodropEvent);

describe.skipIf(!haveChromium || !existsSync(cli))('the HTML report with hostile strings in every field (Chromium)', () => {
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    ({ context, close: closeBrowser } = await launchChromium({ width: 1400, height: 900 }));
    // The payloads' images would fetch `x`: nothing but the report itself may load.
    await context.route('**/*', (route) => (route.request().url().endsWith('.html') ? route.continue() : route.abort()));
    await context.addInitScript(() => {
      (window as unknown as { __zdRan: string[] }).__zdRan = [];
    });
  }, 60_000);

  afterAll(async () => {
    await closeBrowser?.();
  });

  /** Opens a report, selects its run, hovers a failure, a marker and an interval, and reports what the page became. */
  async function open(file: string, hoverLanes: boolean) {
    const page: Page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      pageErrors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    // A payload that ran on load says which field it came from, before anything else is tried.
    expect(await page.evaluate(() => (window as any).__zdRan)).toEqual([]);
    await page.waitForFunction(() => (window as any).zerodropReport?.ready === true, undefined, { timeout: 10_000 });
    await page.evaluate(() => (window as any).zerodropReport.select(0));
    const tooltips: string[] = [];
    const lanesPoint = (t: number, row: number) =>
      page.evaluate(
        ([tt, r]) => {
          const u = (window as any).zerodropReport.charts[0].lanes;
          u.over.scrollIntoView({ block: 'center' });
          const rect = u.over.getBoundingClientRect();
          const rowCss = u.bbox.height / (window as any).uPlot.pxRatio / u.zerodropRows.length;
          return { x: rect.left + u.valToPos(tt / 1000, 'x'), y: rect.top + (r + 0.5) * rowCss };
        },
        [t, row] as const,
      );
    const points = [
      await page.evaluate(() => (window as any).zerodropReport.failurePoint(0, 0)),
      await page.evaluate(() => (window as any).zerodropReport.failurePoint(0, 1)),
      ...(hoverLanes
        ? [
            await lanesPoint(1700, 1), // the stop signal marker on the pod's lane
            await lanesPoint(2500, 1), // inside the signalled interval
          ]
        : []),
    ];
    for (const p of points) {
      await page.mouse.move(p.x - 30, p.y);
      await page.mouse.move(p.x, p.y, { steps: 3 });
      await expect.poll(() => page.locator('.tooltip').isVisible()).toBe(true);
      tooltips.push((await page.locator('.tooltip').textContent()) ?? '');
    }
    const state = await page.evaluate(() => ({
      ran: (window as any).__zdRan as string[],
      injected: document.querySelectorAll('[data-zd-injected], zd-injected').length,
      scripts: document.querySelectorAll('script').length,
      // textContent, not innerText: CSS upper-cases some labels; the scripts sit outside header and main.
      text: `${document.querySelector('header')!.textContent}\n${document.querySelector('main')!.textContent}`,
    }));
    await page.close();
    return { ...state, tooltips };
  }

  it('`zerodrop report` refuses the file where a fixed-set field (a verdict, a level) carries one, at its line', () => {
    const file = join(outDir, 'report-hostile-all.ndjson');
    writeFileSync(
      file,
      `${hostileEvents(false)
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    const html = join(outDir, 'report-hostile-all.html');
    rmSync(html, { force: true });
    const r = spawnSync(process.execPath, [cli, 'report', file, '-o', html], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^zerodrop: error\[events-malformed\]: .*report-hostile-all\.ndjson:1: run-start event: source must be one of lab, cluster, got /);
    expect(existsSync(html)).toBe(false);
  });

  it('renders a file whose every free-text field carries a payload: nothing runs, nothing is injected, every payload reads as text', async () => {
    const events = hostileEvents(true);
    const file = join(outDir, 'report-hostile.ndjson');
    const html = join(outDir, 'report-hostile.html');
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    execFileSync(process.execPath, [cli, 'report', file, '-o', html, '--force', '--title', payload('title')], { encoding: 'utf8' });
    const page = await open(html, true);
    expect(page.ran).toEqual([]);
    expect(page.injected).toBe(0);
    expect(page.scripts).toBe(3); // the model, uPlot, the page script
    // Shown as text where the page writes them: header, tables, verdict, configuration, findings, notes.
    for (const field of [
      'title',
      'run=r',
      'description=desc',
      'command=zerodrop lab x.yaml',
      'key=replicas',
      'proxy=l7',
      'severity=error',
      'message=no preStop',
      'container=app',
      'reasons=2 requests failed',
      'message=scaled down',
      'code=ECONNREFUSED',
      'pod=web-1',
    ])
      expect(page.text, field).toContain(payload(field));
    // And in the hover details the page script builds: failures, a marker, an interval.
    const [refused, reset, signal, interval] = page.tooltips;
    expect(refused).toContain(`pod ${payload('pod=web-1')}`);
    expect(refused).toContain(payload('code=ECONNREFUSED'));
    expect(reset).toContain(payload('code=ECONNRESET'));
    expect(signal).toContain(`${payload('signal=SIGTERM')} to ${payload('container=app')}`);
    expect(interval).toContain(`because ${payload('signal=SIGTERM')} to ${payload('container=app')}`);
    expect(pageErrors).toEqual([]);
  });

  it('escapes fixed-set values too when a producer hands events to the renderer directly (--report), so no field is trusted', async () => {
    // No parser between producer and renderer here: the escaping alone must hold.
    const events = hostileEvents(false).map((e) =>
      e.type === 'request' ? { ...e, error: e.error === undefined ? undefined : 'refused' } : e,
    ) as ZerodropEvent[];
    const html = join(outDir, 'report-hostile-direct.html');
    writeFileSync(html, renderHtmlReport(events, { title: payload('title') }));
    const page = await open(html, false);
    expect(page.ran).toEqual([]);
    expect(page.injected).toBe(0);
    expect(page.text).toContain(payload('message=scaled down'));
    expect(page.tooltips[0]).toContain(payload('pod=web-1'));
    expect(pageErrors).toEqual([]);
  });
});
