/**
 * How long `zerodrop report` takes and how big the page gets as runs grow. Baseline: parsing the
 * same events from NDJSON (what any report must do at least), measured in the same process, so
 * the ratio says what the report itself costs on top of reading its input.
 */
import type { ZerodropEvent } from '../dist/events/schema.js';
import { parseEvents } from '../dist/events/stream.js';
import { renderHtmlReport } from '../dist/report/html/renderHtmlReport.js';

function syntheticRun(requests: number, rate: number): ZerodropEvent[] {
  const events: ZerodropEvent[] = [];
  const pods = ['old-a', 'old-b', 'new-a', 'new-b'];
  for (const [i, pod] of pods.entries()) events.push({ t: i * 10, run: 'bench', type: 'pod', pod, phase: 'created' });
  for (let i = 0; i < requests; i++) {
    const t = (i * 1000) / rate;
    const failed = i % 40 === 0;
    events.push({
      t: t + 3,
      run: 'bench',
      type: 'request',
      intended: t,
      start: t + 0.2,
      end: t + 3,
      pod: pods[i % 4]!,
      ...(failed ? { error: 'refused', code: 'ECONNREFUSED' } : { status: 200 }),
    });
  }
  return events;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown, repeat: number): number {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function run(): Promise<void> {
  renderHtmlReport(syntheticRun(1000, 100)); // warm up (and load uPlot once)
  process.stdout.write('| requests (2.5 % failed) | parse NDJSON (baseline) | render report | ratio | page size |\n|---:|---:|---:|---:|---:|\n');
  for (const requests of [6_000, 60_000, 240_000]) {
    const events = syntheticRun(requests, 200);
    const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
    const repeat = requests > 100_000 ? 3 : 5;
    const parse = time(() => parseEvents(ndjson), repeat);
    let size = 0;
    const render = time(() => {
      size = renderHtmlReport(events).length;
    }, repeat);
    process.stdout.write(
      `| ${requests.toLocaleString('en-US')} | ${parse.toFixed(0)} ms | ${render.toFixed(0)} ms | ${(render / parse).toFixed(2)}× | ${(size / 1024).toFixed(0)} KiB |\n`,
    );
  }
}
