import type { Command } from 'commander';
import { terminalSafe } from '../terminalText.js';
import pc from 'picocolors';
import { ExitCode, usageError } from '../errors.js';
import { EventStream } from '../events/stream.js';
import { checkTimerMs, parseDurationMs } from '../durations.js';
import { createLiveView, type LiveView } from '../report/index.js';
import type { ClusterRolloutResult } from '../cluster/rolloutRun.js';
import { parseImageFlag, type RolloutAction } from '../cluster/rolloutTrigger.js';
import { verdictExitCode } from '../run/exitCode.js';
import { handleInterrupts } from '../run/interrupt.js';
import { RunOutputs } from '../run/runOutputs.js';

interface RolloutFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  url?: string;
  rate: string;
  restart?: boolean;
  image?: string;
  watchOnly?: boolean;
  dryRun?: boolean;
  settle: string;
  warmup: string;
  timeout: string;
  connection: string;
  maxLagP99: string;
  json?: string;
  events?: string;
  report?: string;
  force?: boolean;
  progress: boolean;
}

/** `deployment/NAME` (also `deploy/NAME`, `deployments/NAME`, `deployments.apps/NAME`). */
export function parseRolloutTarget(target: string): string {
  const m = /^(deployment|deployments|deploy|deployment\.apps|deployments\.apps)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(target);
  if (!m) throw usageError('rollout-bad-target', `expected deployment/NAME, got "${target}" (only Deployments can be rolled out)`);
  return m[2]!;
}

function actionOf(flags: RolloutFlags): RolloutAction {
  const chosen = [
    flags.restart ? '--restart' : undefined,
    flags.image !== undefined ? '--image' : undefined,
    flags.watchOnly ? '--watch-only' : undefined,
  ].filter(Boolean);
  if (chosen.length === 0) throw usageError('rollout-no-action', 'say what starts the rollout: --restart, --image CONTAINER=IMAGE, or --watch-only');
  if (chosen.length > 1) throw usageError('conflicting-flags', `choose one of ${chosen.join(', ')}`);
  if (flags.restart) return { kind: 'restart' };
  if (flags.image !== undefined) return { kind: 'image', ...parseImageFlag(flags.image) };
  return { kind: 'watch-only' };
}

function summary(result: ClusterRolloutResult): string {
  const colour = result.verdict === 'pass' ? pc.green : result.verdict === 'fail' ? pc.red : pc.yellow;
  const lines = [
    `${colour(String(result.verdict).toUpperCase())}  ${result.failures} of ${result.requests} requests failed during ${result.target.action} of deployment/${result.target.deployment}`,
  ];
  const byClass = Object.entries(result.failuresByClass ?? {});
  if (byClass.length > 0) lines.push(`  failures: ${byClass.map(([k, v]) => `${v} ${k}`).join(', ')}`);
  if (result.rollout)
    lines.push(
      `  rollout: ${result.rollout.state}${result.rollout.completed ? ` in ${(result.rollout.durationMs / 1000).toFixed(1)} s` : ''}; ${result.rollout.evidence.oldPodsTerminated} old pods terminated, ${result.rollout.evidence.newPodsReady} new pods ready`,
    );
  if (result.failureRateUpperBound95 !== undefined)
    lines.push(
      `  0 failures in ${result.requests} requests: failure rate below ${(result.failureRateUpperBound95 * 100).toPrecision(2)}% (95% upper bound, 3/N)`,
    );
  for (const reason of result.reasons ?? []) lines.push(`  - ${reason}`);
  return `${lines.join('\n')}\n`;
}

const ROLLOUT_HELP = `
Outputs (--json, --events, --report) are checked before anything is read from the cluster: an
existing file is refused unless --force, and each file is written whole or not at all (the
events file also after a failed run, so what was seen stays renderable).

Verdicts: PASS needs zero failed requests, the load held every second, the rollout complete and
at least 100 requests (zero failures in 100 requests bound the failure rate below 3 % with 95 %
confidence); a run that cannot prove that is INCONCLUSIVE.

Exit codes: 0 pass, 1 requests were dropped, 3 inconclusive (rollout incomplete, load not held,
too few requests), 2 usage error or unknown Deployment (docs/errors.md), 4 cluster unreachable,
forbidden or URL not answering, 130 interrupted (SIGINT or SIGTERM stops the load and the watches;
a second signal forces the exit). It changes only the one Deployment named, once, and never rolls
anything back. RBAC: docs/rollout.md.`;

export function registerRolloutCommand(program: Command): void {
  program
    .command('rollout <target>')
    .description("prove a real cluster's rollout drops zero requests: load the URL, roll deployment/NAME, watch pods and endpoints, judge")
    .option('-n, --namespace <ns>', "namespace (default: the context's, else default)")
    .option('--context <ctx>', 'kubeconfig context to use')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--url <url>', 'the address users hit: ingress, LoadBalancer or NodePort (not kubectl port-forward, which pins one pod)')
    .option('--rate <n>', 'requests per second (open model)', '50')
    .option('--restart', 'start the rollout as kubectl rollout restart does')
    .option('--image <container=image>', 'start the rollout by changing one container image')
    .option('--watch-only', 'change nothing; wait for a rollout someone else starts')
    .option('--dry-run', 'print what would be done and change nothing')
    .option('--settle <duration>', 'keep the load this long after the rollout ends', '10s')
    .option('--warmup <duration>', 'load before the change (control window)', '3s')
    .option('--timeout <duration>', 'give up waiting for the rollout after this long', '10m')
    .option('--connection <mode>', 'keep-alive (like an ingress or LB) or fresh (one connection per request)', 'keep-alive')
    .option('--max-lag-p99 <duration>', 'generator health: p99 scheduling lag above this makes the run inconclusive (raise it on busy CI runners)', '50ms')
    .option('--json <file>', 'write the result as JSON')
    .option('--events <file>', 'write the event stream as NDJSON (zerodrop report renders it)')
    .option('--report <file>', 'write the HTML report (same page as zerodrop report renders)')
    .option('--no-progress', 'plain progress lines instead of the live panel')
    .option('--force', 'replace output files that already exist')
    .addHelpText('after', ROLLOUT_HELP)
    .action(async (target: string, flags: RolloutFlags) => {
      process.exitCode = await rolloutCommand(target, flags);
    });
}

async function rolloutCommand(target: string, flags: RolloutFlags): Promise<number> {
  const deployment = parseRolloutTarget(target);
  const action = actionOf(flags);
  if (!flags.url)
    throw usageError('rollout-no-url', '--url is required: the address users hit (ingress, LoadBalancer or NodePort), e.g. --url http://127.0.0.1:8080/');
  const rate = Number(flags.rate);
  if (!(rate > 0) || !Number.isFinite(rate)) throw usageError('bad-rate', `--rate must be a positive number, got "${flags.rate}"`);
  if (flags.connection !== 'keep-alive' && flags.connection !== 'fresh')
    throw usageError('rollout-bad-connection', `--connection must be keep-alive or fresh, got "${flags.connection}"`);
  const settleMs = parseDurationMs(flags.settle, '--settle');
  const warmupMs = parseDurationMs(flags.warmup, '--warmup');
  const timeoutMs = parseDurationMs(flags.timeout, '--timeout');
  if (timeoutMs <= 0) throw usageError('bad-duration', '--timeout must be positive');
  // The load runs for all three windows on one timer.
  checkTimerMs(warmupMs + timeoutMs + settleMs, '--warmup + --timeout + --settle');
  const maxLagP99Ms = parseDurationMs(flags.maxLagP99, '--max-lag-p99');
  // Refuse before the rollout, not after it: the run cannot be repeated for free.
  const outputs = RunOutputs.claim(flags, { paths: flags.kubeconfig ? [flags.kubeconfig] : [] });

  const events = new EventStream('rollout');
  for (const listener of outputs.listeners()) events.subscribe(listener);
  let view: LiveView | undefined;
  const interrupt = handleInterrupts({
    stopping: (sig) => `${sig}: stopping the load and the watches; the rollout itself continues in the cluster (zerodrop rolls nothing back)`,
  });
  const log = (line: string) => process.stderr.write(`${pc.dim('rollout')} ${terminalSafe(line)}\n`);
  let result: ClusterRolloutResult;
  try {
    // Loaded on use: @kubernetes/client-node takes about 2 s to import, which every other
    // subcommand would otherwise pay at startup.
    const { runClusterRollout } = await import('../cluster/rolloutRun.js');
    result = await runClusterRollout({
      deployment,
      ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
      url: flags.url,
      action,
      rate,
      dryRun: flags.dryRun === true,
      settleMs,
      warmupMs,
      timeoutMs,
      connection: flags.connection,
      maxLagP99Ms,
      command: ['zerodrop', ...process.argv.slice(2)].join(' '),
      events,
      log,
      beforeRun: () => {
        view = createLiveView(events, { mode: flags.progress === false ? 'plain' : 'auto' });
      },
      signal: interrupt.signal,
    });
  } catch (err) {
    outputs.discard();
    throw err;
  } finally {
    view?.stop();
    interrupt.dispose();
    await outputs.closeEvents(flags.dryRun !== true);
  }
  if (result.dryRun) {
    // A dry run has no run, only the plan: the JSON holds the plan, there is no report.
    outputs.writeJson(result);
    outputs.discard();
    process.stdout.write(`dry run: nothing was changed. zerodrop rollout would:\n${result.plan.map((l) => `  ${l}`).join('\n')}\n`);
    return ExitCode.ok;
  }
  outputs.writeReport(`zerodrop rollout deployment/${deployment}`);
  // The lab's JSON shape: { runs: [...] }.
  outputs.writeJson({ runs: [result] });
  process.stdout.write(summary(result));
  return verdictExitCode(result.verdict ? [result.verdict] : [], result.interrupted === true || interrupt.interrupted);
}
