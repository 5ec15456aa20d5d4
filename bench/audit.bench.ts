/**
 * Audit throughput: 10,000 Deployment+Service pairs in one multi-document stream, the whole audit
 * (parse with positions, views with cross-object context, every registered rule, positions of
 * findings, JSON report) against `yaml`'s own parsing of the same stream (parseAllDocuments +
 * toJS per document), measured alternately in this process with a full garbage collection
 * before each measurement, so neither side pays for the other's garbage. The ratio is taken per
 * round (the two measurements of a round are back to back, under the same machine load) and
 * the median of the rounds is reported, for wall time and for this process's CPU time (which
 * waiting for a core on a loaded machine does not inflate). Goal: ratio ≤ 1.3.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { runAudit } from '../dist/audit/runner.js';
import { allRules, ruleMetas } from '../dist/audit/rules/index.js';
import { defaultSettings } from '../dist/audit/settings.js';
import { formatJson } from '../dist/audit/format/json.js';
import { fleetStream } from './support/fleet.js';

const PAIRS = 10_000;
const ROUNDS = 9;

// A gc() without restarting node with --expose-gc: the flag takes effect for new contexts.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const text = fleetStream(PAIRS);
  const settings = defaultSettings();
  const baseline: number[] = [];
  const audit: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let findings = 0;
  let outputBytes = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    gc();
    let t = performance.now();
    let cpu = process.cpuUsage();
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('empty stream');
    for (const d of docs) d.toJS();
    const b = performance.now() - t;
    const bCpu = cpuMs(cpu);

    gc();
    t = performance.now();
    cpu = process.cpuUsage();
    const result = runAudit([{ file: 'fleet.yaml', text, kind: 'yaml', origin: 'file' }], { settings, rules: allRules });
    const out = formatJson(result);
    const a = performance.now() - t;
    const aCpu = cpuMs(cpu);
    // Round 0 warms up the JIT for both sides.
    if (round === 0) continue;
    baseline.push(b);
    audit.push(a);
    ratios.push(a / b);
    cpuRatios.push(aCpu / bCpu);
    findings = result.findings.length;
    outputBytes = out.length;
    if (result.errors.length > 0) throw new Error(`unexpected input errors: ${result.errors[0]!.message}`);
  }
  const mb = (Buffer.byteLength(text) / 1048576).toFixed(1);
  process.stdout.write(
    `stream: ${PAIRS} Deployment+Service pairs, ${mb} MiB; ${ruleMetas().length} rules; ${findings} findings; JSON report ${(outputBytes / 1048576).toFixed(1)} MiB\n`,
  );
  process.stdout.write(`| what | median of ${ROUNDS} (ms) |\n|---|---|\n`);
  process.stdout.write(`| yaml parseAllDocuments + toJS (baseline) | ${median(baseline).toFixed(0)} |\n`);
  process.stdout.write(`| zerodrop audit (parse, views, rules, positions, JSON) | ${median(audit).toFixed(0)} |\n`);
  process.stdout.write(`\nratio audit / yaml parse per round, wall time: ${ratios.map((r) => r.toFixed(2)).join(', ')}\n`);
  process.stdout.write(`ratio audit / yaml parse per round, CPU time: ${cpuRatios.map((r) => r.toFixed(2)).join(', ')}\n`);
  process.stdout.write(`median ratio: ${median(ratios).toFixed(2)} wall, ${median(cpuRatios).toFixed(2)} CPU (goal ≤ 1.30)\n`);
}
