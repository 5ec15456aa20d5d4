import { Option, type Command } from 'commander';
import { terminalSafe } from '../terminalText.js';
import pc from 'picocolors';
import { ExitCode, usageError } from '../errors.js';
import { preStopDelaySeconds } from '../k8s/objects.js';
import type { EventStream } from '../events/stream.js';
import { parseRolloutFlag } from '../lab/config/labFile.js';
import type { ImageMap } from '../lab/config/workload.js';
import { describeContainment } from '../lab/pods/containment.js';
import { installExitCleanup, labProcesses } from '../lab/pods/processRegistry.js';
import type { AuditVerdict } from '../lab/run/audit.js';
import type { LabOverrides } from '../lab/run/configure.js';
import { labInputPaths, planLabRuns } from '../lab/run/plan.js';
import { labExitCode, labResultsJson, runPlannedRuns } from '../lab/run/runPlanned.js';
import type { LabRunConfig, LabRunResult } from '../lab/run/runLab.js';
import { formatExpectationLine, formatResultsTable } from '../lab/run/summary.js';
import { SCENARIOS, runName } from '../lab/scenarios/catalog.js';
import { createLiveView } from '../report/index.js';
import { handleInterrupts } from '../run/interrupt.js';
import { RunOutputs } from '../run/runOutputs.js';

interface LabCliOptions {
  run: string[];
  workload?: string;
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
  force?: boolean;
  progress?: boolean;
  pidNamespace?: boolean;
}

const LAB_HELP = `
Inputs: each lab file, manifest file or directory is its own run, in the order given, and the
runs end in one table, one --json result and one --report. A directory holding a
kustomization.yaml is rendered with kubectl kustomize, exactly as zerodrop audit renders it
(overlays, patches, components, generators); pass the directory, not its patch files. With
several Deployments in an input the lab rolls the one the load reaches (behind an Ingress, else
a Service), or the one --workload names; an ingress controller in the manifests (traefik,
ingress-nginx, ...) is not run: the lab's proxy stands in for it.

Images: --run IMAGE=COMMAND maps an image to a local command. Without one, the official nginx
and haproxy images run Debian's nginx and haproxy with a minimal config on the container's ports
and the image's stop signal (the run says so); a container whose main process is unicorn (its
command, or the CMD of the input's Dockerfile that builds the image) runs the lab's unicorn
stand-in, with the STOPSIGNAL that Dockerfile sets; --run overrides both. A missing binary is
exit 4 and names the package to install.

Outputs (--json, --events, --report) are checked before anything starts: an existing file is
refused unless --force, an input (a lab file or manifest) is never written over, and each file is
written whole or not at all.

Verdicts: PASS needs zero failed requests, the load held every second, the rollout complete and
enough requests to bound the failure rate (at least 100: zero failures in 100 requests bound it
below 3 % with 95 % confidence). A run that cannot prove that is INCONCLUSIVE, never a pass.

Expected: the bundled talk and scenarios demonstrate drops as well as fixes, so each of their
runs declares what it shows (drops or zero, the "expected" column); your own inputs are expected
to drop nothing.

Containers: each one's main process is PID 1 of its own PID namespace where Linux allows it (as in
Kubernetes: an app without a SIGTERM handler ignores SIGTERM), and nothing a pod starts outlives
the lab, even a SIGKILLed one (docs/lab.md, "How pods are contained"). --no-pid-namespace opts out.

Exit codes: 0 every run showed what it was expected to (your inputs: no run dropped a request),
1 a run did not (your inputs: a run dropped requests), 3 a run was inconclusive, 2 usage or input
error (docs/errors.md), 4 missing environment (nginx, haproxy, kubectl, PID namespaces), 130
interrupted (SIGINT or SIGTERM: the lab stops, reaps every pod and exits; a second signal forces it).`;

export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description('replay a Kubernetes rolling update on this machine with real processes and count dropped requests')
    .argument(
      '[inputs...]',
      'lab files (*.lab.yaml) or Kubernetes manifests (files, directories, kustomize directories), one run each; none: the talk replayed on the demo app',
    )
    .option('--run <IMAGE=COMMAND>', 'command the lab runs for a container image (repeatable); overrides the built-in nginx and haproxy mappings', collect, [])
    .option('--workload <name>', 'the Deployment to roll when an input has several (default: the one behind the Ingress or Service)')
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
    .option('--report <file>', 'write a self-contained HTML report of every run')
    .option('--force', 'replace output files that already exist (never an input)')
    .option('--no-progress', 'plain progress lines even on a terminal')
    .option('--pid-namespace', 'require each container to be PID 1 of its own PID namespace (the default where Linux allows it)')
    .option('--no-pid-namespace', 'run containers as ordinary processes, not PID 1: an app without a SIGTERM handler then dies on SIGTERM')
    .addHelpText('after', LAB_HELP)
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
  const plan = await planLabRuns({
    inputs,
    ...(opts.scenario ? { scenario: opts.scenario } : {}),
    ...(opts.runs ? { runs: opts.runs.split(',').map((s) => s.trim()) } : {}),
    overrides: parseOverrides(opts),
    command: `zerodrop lab ${process.argv.slice(3).join(' ')}`.trim(),
    cwd: process.cwd(),
  });
  const outputs = RunOutputs.claim(opts, { paths: labInputPaths(plan, inputs) });

  const out = process.stdout;
  if (plan.talk) {
    const first = plan.runs.find((p) => p.config)!.config!;
    out.write(`${pc.bold('zerodrop lab')}: the talk replayed on the bundled demo app (examples/talk), 4 replicas behind an ingress-like proxy.\n`);
    out.write(
      `Timings are scaled down from the talk so the whole run takes ${opts.quick ? 'well under a minute' : 'about a minute'}: probe periods 3 s → 1 s, preStop sleep 20 s → 5 s,\n`,
    );
    out.write(`endpoint propagation ${first.propagation.minMs / 1000}–${first.propagation.maxMs / 1000} s.\n\n`);
  }

  installExitCleanup();
  const interrupt = handleInterrupts({
    stopping: (sig) => pc.yellow(`${sig}: stopping the lab and every pod it started…`),
    force: () => labProcesses.killAll(),
  });
  let rows;
  try {
    rows = await runPlannedRuns(plan.runs, {
      signal: interrupt.signal,
      listeners: outputs.listeners(),
      attach: (stream: EventStream) => {
        const view = createLiveView(stream, { mode: opts.progress === false ? 'plain' : 'auto' });
        return () => view.stop();
      },
      onUnavailable: (p, reason) => out.write(`${pc.dim('–')} ${pc.bold(terminalSafe(p.name))}: ${terminalSafe(reason)}\n\n`),
      onRunStart: (p, audit) => {
        out.write(`${pc.cyan('▶')} ${pc.bold(terminalSafe(p.name))}${p.config.description ? `: ${terminalSafe(p.config.description)}` : ''}\n`);
        out.write(`  ${describeConfig(p.config)}\n`);
        for (const note of p.config.notes ?? []) out.write(`  ${pc.dim(terminalSafe(note))}\n`);
        out.write(`  ${audit ? formatAudit(audit) : pc.dim('audit: could not run on these manifests')}\n`);
      },
      onRunEnd: (result) => {
        out.write(
          `  ${verdictLabel(result.verdict)} ${result.failures} of ${result.requests} requests failed${formatClasses(result)}; rollout ${result.rollout.completed ? `${(result.rollout.durationMs / 1000).toFixed(1)} s` : 'incomplete'}\n`,
        );
        for (const r of result.reasons) if (!r.includes('requests failed')) out.write(`  ${pc.dim(terminalSafe(r))}\n`);
        out.write('\n');
      },
    });
  } catch (err) {
    outputs.discard();
    throw err;
  } finally {
    interrupt.dispose();
    labProcesses.killAll();
    await outputs.closeEvents();
  }

  out.write(formatResultsTable(rows));
  out.write(formatExpectationLine(rows));
  outputs.writeJson(labResultsJson(rows));
  if (outputs.writeReport('zerodrop lab')) out.write(`report: ${opts.report}\n`);
  return labExitCode(rows, interrupt.interrupted);
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
  if (opts.workload !== undefined) o.workload = opts.workload;
  if (opts.rate !== undefined) o.rate = rateFlag(opts.rate);
  if (opts.propagation) o.propagation = opts.propagation;
  if (opts.kubeletDelay) o.kubeletDelay = opts.kubeletDelay;
  if (opts.proxy) o.proxy = opts.proxy;
  if (opts.proxyRetries !== undefined) o.proxyRetries = Math.floor(nonNegativeNumber(opts.proxyRetries, '--proxy-retries'));
  if (opts.upstreamKeepalive) o.upstreamKeepAlive = opts.upstreamKeepalive;
  if (opts.connection) o.connection = opts.connection;
  if (opts.path) o.path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
  if (opts.seed !== undefined) o.seed = Math.floor(nonNegativeNumber(opts.seed, '--seed'));
  if (opts.quick) o.quick = true;
  if (opts.pidNamespace !== undefined) o.pidNamespace = opts.pidNamespace;
  return o;
}

function rateFlag(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw usageError('bad-rate', `--rate: expected a positive number of requests per second, got "${text}"`);
  return n;
}

function nonNegativeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw usageError('bad-number', `${flag}: expected a non-negative number, got "${text}"`);
  return n;
}

function describeConfig(c: LabRunConfig): string {
  const d = c.workload.deployment;
  const main = c.workload.initial.containers[0]!;
  const parts = [
    `${d.replicas} replicas`,
    d.strategy === 'Recreate' ? 'Recreate' : `maxSurge ${d.fenceposts.maxSurge}/maxUnavailable ${d.fenceposts.maxUnavailable}`,
    main.readiness ? `readiness every ${main.readiness.periodSeconds}s` : 'no readiness probe',
    describePreStop(main),
    `grace ${c.workload.initial.graceSeconds}s`,
    describeContainment(c.workload.initial),
    `${c.rate} rps via ${c.trafficPath && c.trafficPath.mechanics !== 'proxy' ? c.trafficPath.label : c.proxy.mode}`,
    `propagation ${c.propagation.minMs / 1000}–${c.propagation.maxMs / 1000}s`,
    `seed ${c.seed}`,
  ];
  return pc.dim(parts.join(' · '));
}

/** `preStop 20s` when the hook is a recognisable sleep, as the manifest has it (never scaled). */
function describePreStop(c: LabRunConfig['workload']['initial']['containers'][number]): string {
  if (!c.preStop) return 'no preStop';
  const seconds = preStopDelaySeconds(c.preStop);
  return seconds === undefined ? 'preStop' : `preStop sleep ${seconds}s`;
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

function printScenarioList(): void {
  for (const s of SCENARIOS) {
    process.stdout.write(`${pc.bold(s.name)}${s.name === 'talk' ? ' (default)' : ''}\n  ${s.description}\n`);
    if (!s.causeVisibleInManifests) process.stdout.write(`  ${pc.dim('Its cause is not visible in the manifests, so the audit cannot predict it.')}\n`);
    process.stdout.write(`  runs: ${s.runs.map((r) => `${runName(r)} (${r.expect === 'pass' ? 'zero drops' : 'drops'})`).join(', ')}\n`);
  }
}
