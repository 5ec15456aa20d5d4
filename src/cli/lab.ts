import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, usageError, ZerodropError } from '../errors.js';
import { NdjsonSink } from '../events/stream.js';
import type { ZerodropEvent } from '../events/schema.js';
import { nginxAvailable } from '../lab/proxy/index.js';
import { looksLikeLabFile, parseRolloutFlag, readLabFile } from '../lab/config/labFile.js';
import type { ImageMap } from '../lab/config/workload.js';
import { configureFromLabFile, configureRun, type LabOverrides } from '../lab/run/configure.js';
import { runLab, type LabRunConfig, type LabRunResult } from '../lab/run/runLab.js';
import { createLiveView, writeHtmlReport } from '../report/index.js';
import type { EventStream } from '../events/stream.js';
import { installExitCleanup, labProcesses } from '../lab/pods/processRegistry.js';
import { pidNamespaceSupport } from '../lab/pods/containerProcess.js';
import { SCENARIOS, TALK, findScenario, labFilePath, missingRequirement, runName, type Scenario } from '../lab/scenarios/catalog.js';
import { formatResultsTable, labExitCode } from '../lab/run/summary.js';
import { auditForLab, type AuditVerdict } from '../lab/run/audit.js';

interface LabCliOptions {
  run: string[];
  rollout?: string;
  scenario?: string;
  list?: boolean;
  quick?: boolean;
  runs?: string;
  rate?: string;
  propagation?: string;
  kubeletDelay?: string;
  proxy?: 'l7' | 'l4' | 'nginx';
  proxyRetries?: string;
  upstreamKeepalive?: string;
  connection?: 'keep-alive' | 'fresh';
  path?: string;
  seed?: string;
  json?: string;
  events?: string;
  report?: string;
  progress?: boolean;
  pidNamespace?: boolean;
}

/** One planned run: configured (validated) up front, or the reason it cannot run here. */
interface PlannedRun {
  name: string;
  config?: LabRunConfig;
  unavailable?: string;
  expect?: 'pass' | 'fail';
}

export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description('replay a Kubernetes rolling update on this machine with real processes and count dropped requests')
    .argument('[inputs...]', 'lab files (*.lab.yaml) or Kubernetes manifests (files or directories); none: the talk replayed on the demo app')
    .option('--run <IMAGE=COMMAND>', 'command the lab runs for a container image (repeatable)', collect, [])
    .option('--rollout <change>', 'what to roll out: restart (default), image=IMAGE or image=CONTAINER=IMAGE')
    .option('--scenario <name>', 'run a bundled scenario (see --list)')
    .option('--list', 'list the bundled scenarios')
    .option('--quick', 'shorter control windows before and after each rollout')
    .option('--runs <names>', 'only these runs of the scenario, comma separated')
    .option('--rate <rps>', 'requests per second, open model (default 200)')
    .option('--propagation <delay>', 'endpoint propagation delay of the proxy, e.g. 1s or 0.5s..3s (default 0.5s..3s for l7/nginx, 0.2s..2s for l4)')
    .option('--kubelet-delay <delay>', 'API delete to kubelet termination start (default 0s..1s)')
    .addOption(
      new Option('--proxy <mode>', 'traffic consumer: l7 ingress-like (default), l4 kube-proxy-like, nginx (real nginx)').choices(['l7', 'l4', 'nginx']),
    )
    .option('--proxy-retries <n>', 'L7 proxy retries of idempotent requests on another pod (ingress-nginx proxy_next_upstream; default 0)')
    .option('--upstream-keepalive <duration>', 'how long the proxy keeps idle upstream connections (default 4s; ingress-nginx uses 60s)')
    .addOption(new Option('--connection <mode>', 'client connections: keep-alive pool (default) or fresh per request').choices(['keep-alive', 'fresh']))
    .option('--path <path>', 'request path the load hits (default /)')
    .option('--seed <n>', 'seed for the random delays, to replay a run')
    .option('--json <file>', 'write the results as JSON')
    .option('--events <file>', 'write every pod, endpoint and request event as NDJSON (input for `zerodrop report`)')
    .option('--report <file>', 'write a self-contained HTML report of every run (refuses to overwrite)')
    .option('--no-progress', 'plain progress lines even on a terminal')
    .option('--pid-namespace', 'run each container as PID 1 of its own PID namespace (Linux, root)')
    .action(async (inputs: string[], opts: LabCliOptions) => {
      process.exitCode = await labCommand(inputs, opts);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function labCommand(inputs: string[], opts: LabCliOptions): Promise<number> {
  if (opts.list) {
    printScenarioList();
    return ExitCode.ok;
  }
  const overrides = parseOverrides(opts);
  const command = `zerodrop lab ${process.argv.slice(3).join(' ')}`.trim();
  const planned = planRuns(inputs, opts, overrides, command);
  const runnable = planned.filter((p) => p.config);
  if (runnable.length === 0) throw usageError('lab-nothing-to-run', `no run can start here: ${planned.map((p) => `${p.name}: ${p.unavailable}`).join('; ')}`);

  if (opts.report && existsSync(opts.report)) throw usageError('output-exists', `${opts.report} already exists; remove it or choose another --report file`);
  const out = process.stdout;
  if (inputs.length === 0 && !opts.scenario) {
    out.write(`${pc.bold('zerodrop lab')}: the talk replayed on the bundled demo app (examples/talk), 4 replicas behind an ingress-like proxy.\n`);
    out.write(
      `Timings are scaled down from the talk so the whole run takes ${opts.quick ? 'well under a minute' : 'about a minute'}: probe periods 3 s → 1 s, preStop sleep 20 s → 5 s,\n`,
    );
    out.write(`endpoint propagation ${runnable[0]!.config!.propagation.minMs / 1000}–${runnable[0]!.config!.propagation.maxMs / 1000} s.\n\n`);
  }

  installExitCleanup();
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts++;
    process.stderr.write(`\n${pc.yellow(`${sig}: stopping the lab and every pod it started…`)}\n`);
    abort.abort();
    if (interrupts > 1) {
      labProcesses.killAll();
      process.exit(ExitCode.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const sink = opts.events ? new NdjsonSink(opts.events) : undefined;
  const collected: ZerodropEvent[] = [];
  const results: Array<LabRunResult | { name: string; unavailable: string }> = [];
  try {
    for (const p of planned) {
      if (abort.signal.aborted) break;
      if (!p.config) {
        out.write(`${pc.dim('–')} ${pc.bold(p.name)}: ${p.unavailable}\n\n`);
        results.push({ name: p.name, unavailable: p.unavailable ?? 'not available' });
        continue;
      }
      out.write(`${pc.cyan('▶')} ${pc.bold(p.name)}${p.config.description ? `: ${p.config.description}` : ''}\n`);
      out.write(`  ${describeConfig(p.config)}\n`);
      const audit = await auditForLab(p.config.manifests, p.config.propagation.maxMs).catch(() => undefined);
      if (audit) {
        p.config.audit = audit.findings;
        out.write(`  ${formatAudit(audit)}\n`);
      } else {
        out.write(`  ${pc.dim('audit: could not run on these manifests')}\n`);
      }
      const listeners: Array<(e: ZerodropEvent) => void> = [];
      if (sink) listeners.push(sink.write);
      if (opts.report) listeners.push((e) => collected.push(e));
      const attach = (stream: EventStream): (() => void) => {
        const view = createLiveView(stream, { mode: opts.progress === false ? 'plain' : 'auto' });
        return () => view.stop();
      };
      const result = await runLab(p.config, { listeners, signal: abort.signal, attach });
      if (audit)
        result.audit = {
          errors: audit.errors,
          warnings: audit.warnings,
          predictsDrops: audit.predictsDrops,
          rules: [...new Set(audit.findings.filter((f) => f.severity === 'error').map((f) => f.rule))],
        };
      out.write(
        `  ${verdictLabel(result.verdict)} ${result.failures} of ${result.requests} requests failed${formatClasses(result)}; rollout ${result.rollout.completed ? `${(result.rollout.durationMs / 1000).toFixed(1)} s` : 'incomplete'}\n`,
      );
      for (const r of result.reasons) if (!r.includes('requests failed')) out.write(`  ${pc.dim(r)}\n`);
      out.write('\n');
      results.push(result);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    labProcesses.killAll();
    await sink?.close();
  }

  out.write(formatResultsTable(results));
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ runs: results.map(jsonRun) }, null, 2)}\n`);
  if (opts.report && collected.length > 0) {
    writeHtmlReport(opts.report, collected, { title: 'zerodrop lab' });
    out.write(`report: ${opts.report}\n`);
  }
  if (abort.signal.aborted) return ExitCode.interrupted;
  return labExitCode(results);
}

function planRuns(inputs: string[], opts: LabCliOptions, o: LabOverrides, command: string): PlannedRun[] {
  if (opts.scenario && inputs.length > 0) throw usageError('conflicting-flags', '--scenario runs bundled files; do not also pass inputs');
  if (opts.scenario || inputs.length === 0) {
    const scenario: Scenario | undefined = opts.scenario ? findScenario(opts.scenario) : TALK;
    if (!scenario) throw usageError('lab-unknown-scenario', `unknown scenario "${opts.scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    const only = opts.runs?.split(',').map((s) => s.trim());
    const runs = scenario.runs.filter((r) => !only || only.includes(runName(r)));
    if (only && runs.length === 0) throw usageError('lab-unknown-run', `--runs: scenario ${scenario.name} has runs ${scenario.runs.map(runName).join(', ')}`);
    const nginx = nginxAvailable();
    return runs.map((r) => {
      const name = runName(r);
      const missing = missingRequirement(r, nginx);
      if (missing) return { name, unavailable: missing, expect: r.expect };
      return {
        name,
        config: configureFromLabFile(readLabFile(labFilePath(r)), o, `zerodrop lab ${path.relative(process.cwd(), labFilePath(r))}`, name),
        expect: r.expect,
      };
    });
  }
  const labFiles = inputs.filter((i) => looksLikeLabFile(i));
  const manifests = inputs.filter((i) => !labFiles.includes(i));
  if (labFiles.length > 0 && manifests.length > 0) throw usageError('conflicting-flags', 'pass either lab files or manifests, not both');
  if (labFiles.length > 0)
    return labFiles.map((f) => ({ name: '', config: configureFromLabFile(readLabFile(f), o, command) })).map((p) => ({ ...p, name: p.config.name }));
  const config = configureRun({ name: 'lab', manifests, images: {}, cwd: process.cwd(), command }, o);
  return [{ name: config.name, config }];
}

function parseOverrides(opts: LabCliOptions): LabOverrides {
  const o: LabOverrides = {};
  if (opts.run.length > 0) {
    const images: ImageMap = {};
    for (const r of opts.run) {
      const eq = r.indexOf('=');
      if (eq <= 0 || eq === r.length - 1) throw usageError('lab-bad-run', `--run: expected IMAGE=COMMAND, got "${r}"`);
      images[r.slice(0, eq)] = { command: r.slice(eq + 1) };
    }
    o.images = images;
  }
  if (opts.rollout) o.rollout = parseRolloutFlag(opts.rollout);
  if (opts.rate !== undefined) o.rate = positiveNumber(opts.rate, '--rate');
  if (opts.propagation) o.propagation = opts.propagation;
  if (opts.kubeletDelay) o.kubeletDelay = opts.kubeletDelay;
  if (opts.proxy) o.proxy = opts.proxy;
  if (opts.proxyRetries !== undefined) o.proxyRetries = Math.floor(positiveNumber(opts.proxyRetries, '--proxy-retries', true));
  if (opts.upstreamKeepalive) o.upstreamKeepAlive = opts.upstreamKeepalive;
  if (opts.connection) o.connection = opts.connection;
  if (opts.path) o.path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
  if (opts.seed !== undefined) o.seed = Math.floor(positiveNumber(opts.seed, '--seed', true));
  if (opts.quick) o.quick = true;
  if (opts.pidNamespace) {
    const support = pidNamespaceSupport();
    if (!support.available) throw new ZerodropError('lab-no-pid-namespace', `--pid-namespace is unavailable here: ${support.reason}`);
    o.pidNamespace = true;
  }
  if (o.proxy === 'nginx' && !nginxAvailable()) throw new ZerodropError('nginx-missing', '--proxy nginx needs /usr/sbin/nginx (apt-get install nginx)');
  return o;
}

function positiveNumber(text: string, flag: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw usageError(flag === '--rate' ? 'bad-rate' : 'bad-number', `${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  return n;
}

function describeConfig(c: LabRunConfig): string {
  const d = c.workload.deployment;
  const main = c.workload.initial.containers[0]!;
  const parts = [
    `${d.replicas} replicas`,
    d.strategy === 'Recreate' ? 'Recreate' : `maxSurge ${d.fenceposts.maxSurge}/maxUnavailable ${d.fenceposts.maxUnavailable}`,
    main.readiness ? `readiness every ${main.readiness.periodSeconds}s` : 'no readiness probe',
    main.preStop ? 'preStop' : 'no preStop',
    `grace ${c.workload.initial.graceSeconds}s`,
    `${c.rate} rps via ${c.proxy.mode}`,
    `propagation ${c.propagation.minMs / 1000}–${c.propagation.maxMs / 1000}s`,
    `seed ${c.seed}`,
  ];
  return pc.dim(parts.join(' · '));
}

function formatAudit(a: AuditVerdict): string {
  const errorRules = [...new Set(a.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
  if (a.predictsDrops) return `audit: ${pc.red(`predicts drops`)} (${a.errors} error${a.errors === 1 ? '' : 's'}: ${errorRules.join(', ')})`;
  return `audit: ${pc.green('predicts zero drops')} (no errors${a.warnings ? `, ${a.warnings} warning${a.warnings === 1 ? '' : 's'}` : ''})`;
}

function verdictLabel(v: string): string {
  if (v === 'pass') return pc.green('PASS');
  if (v === 'fail') return pc.red('FAIL');
  return pc.yellow('INCONCLUSIVE');
}

function formatClasses(r: LabRunResult): string {
  const entries = Object.entries(r.failuresByClass);
  return entries.length === 0 ? '' : ` (${entries.map(([k, v]) => `${v} ${k}`).join(', ')})`;
}

function jsonRun(r: LabRunResult | { name: string; unavailable: string }): Record<string, unknown> {
  if ('unavailable' in r) return { name: r.name, verdict: 'unavailable', reason: r.unavailable };
  return { ...r };
}

function printScenarioList(): void {
  for (const s of SCENARIOS) {
    process.stdout.write(`${pc.bold(s.name)}${s.name === 'talk' ? ' (default)' : ''}\n  ${s.description}\n`);
    if (!s.causeVisibleInManifests) process.stdout.write(`  ${pc.dim('Its cause is not visible in the manifests, so the audit cannot predict it.')}\n`);
    process.stdout.write(`  runs: ${s.runs.map((r) => `${runName(r)} (${r.expect === 'pass' ? 'zero drops' : 'drops'})`).join(', ')}\n`);
  }
}
