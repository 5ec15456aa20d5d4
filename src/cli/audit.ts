import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, usageError } from '../errors.js';
import { auditExitCode, auditPaths } from '../audit/audit.js';
import { FORMATS, MIN_SEVERITY, findConfigFile, isHttpUrl, loadConfig, type FailOn, type OutputFormat } from '../audit/config.js';
import { DEFAULT_DRAIN_SECONDS, DEFAULT_PROPAGATION_SECONDS, resolveAuditOptions } from '../audit/settings.js';
import { sourceKindOf } from '../audit/sources.js';
import { ruleMetas } from '../audit/rules/index.js';
import { renderReport } from '../audit/format/report.js';
import { readRuleDocs } from '../audit/docs.js';
import { rulesJson, rulesText } from '../audit/rulesList.js';
import { didYouMean } from '../audit/didYouMean.js';
import { renamedRuleMessage } from '../audit/renamedRules.js';
import { DEFAULT_KUBERNETES_VERSION } from '../k8s/features.js';
import { SEVERITY_RANK, type AuditRun } from '../audit/runner.js';
import type { Severity } from '../audit/types.js';
import type { AuditPathsOptions } from '../audit/audit.js';
import { claimOutputs, type OutputFile } from '../output/outputFiles.js';
import { exitOnInterrupt } from '../run/interrupt.js';

interface AuditFlags {
  format?: OutputFormat;
  output?: string;
  kubernetesVersion?: string;
  propagationSeconds?: string;
  drainSeconds?: string;
  failOn?: FailOn;
  minSeverity?: Severity;
  quiet?: boolean;
  config?: string;
  fix?: boolean;
  fixInPlace?: boolean;
  force?: boolean;
  /** audit --cluster: live objects instead of PATHs. */
  cluster?: boolean;
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  chartRoot?: string;
  changedFiles?: boolean;
  docsBaseUrl?: string;
  explainPaths?: boolean;
}

async function runAuditCommand(paths: string[], flags: AuditFlags, debug: boolean): Promise<number> {
  if (flags.fix && flags.fixInPlace) throw usageError('conflicting-flags', 'choose one of --fix (print patches) and --fix-in-place (edit files)');
  if (flags.explainPaths && (flags.fix || flags.fixInPlace || (flags.format !== undefined && flags.format !== 'text')))
    throw usageError('conflicting-flags', '--explain-paths prints plain text; give it without --fix, --fix-in-place or --format');
  checkClusterFlags(paths, flags);
  if (paths.length === 0 && !flags.cluster) {
    if (process.stdin.isTTY)
      throw usageError(
        'audit-no-input',
        "give a PATH to audit (files or directories), or '-' to read manifests from stdin, e.g. helm template . | zerodrop audit -",
      );
    paths = ['-'];
  }
  if (flags.fixInPlace && paths.includes('-')) throw usageError('conflicting-flags', '--fix-in-place cannot edit stdin; use --fix to print a patch instead');
  const cwd = process.cwd();
  const configFile = findConfigFile(flags.config, cwd);
  const knownIds = new Set(ruleMetas().map((m) => m.id));
  const config = configFile ? loadConfig(configFile, knownIds) : undefined;
  const { settings, format, failOn, minSeverity, severities } = resolveAuditOptions(flags, config);
  const docsBaseUrl = flags.docsBaseUrl ?? config?.docsBaseUrl;
  if (flags.docsBaseUrl !== undefined && !isHttpUrl(flags.docsBaseUrl))
    throw usageError('bad-url', `--docs-base-url must be an http(s) URL, got "${flags.docsBaseUrl}"`);
  const options = {
    settings,
    severities,
    debug,
    cwd,
    ...(flags.chartRoot === undefined ? {} : { chartRoot: flags.chartRoot }),
    changedFiles: !!flags.changedFiles,
  };
  const output = flags.output === undefined ? undefined : claimReportFile(flags.output, flags.force === true, paths, configFile);
  const stopInterrupts = exitOnInterrupt();
  try {
    const notes: string[] = [];
    let writeFailed = false;
    const versionPinned = flags.kubernetesVersion !== undefined || config?.kubernetesVersion !== undefined;
    let run: AuditRun;
    if (flags.cluster) run = await auditClusterRun(flags, options, notes, versionPinned);
    else {
      const fromPaths = await auditPaths(paths, options);
      notes.push(...fromPaths.notes.map((n) => pc.yellow(`not audited: ${n}`)));
      run = fromPaths;
    }
    if (flags.explainPaths) {
      const [{ buildViews }, { renderExplainPaths }] = await Promise.all([import('../audit/views.js'), import('../audit/format/explainPaths.js')]);
      const objects = run.yamlSources.flatMap((s) => s.objects.map((o) => o.object));
      const text = renderExplainPaths(buildViews(objects, run.dockerfiles, settings).workloads, settings);
      if (output) output.write(text);
      else process.stdout.write(text);
      for (const e of run.errors) notes.push(pc.red(`error: ${[e.file, e.line, e.column].filter((x) => x !== undefined).join(':')}: ${e.message}`));
      for (const n of notes) process.stderr.write(`${n}\n`);
      return run.errors.length > 0 ? ExitCode.usage : ExitCode.ok;
    }

    let shown = atOrAbove(run, minSeverity);
    // --fix prints patches on stdout, so the report moves to stderr unless --output names a file.
    const reportToStderr = !!flags.fix && !output;

    // The fix modules load only with --fix or --fix-in-place.
    if (flags.fix) {
      const { collectFixes, formatFixPatches } = await import('../audit/fix/patches.js');
      process.stdout.write(formatFixPatches(collectFixes(shown.run.details)));
    } else if (flags.fixInPlace) {
      if (run.parseFailed) {
        notes.push(pc.red('--fix-in-place wrote nothing: some input could not be read (see input errors); fix those first'));
      } else {
        const [{ collectFixes }, { applyFixesInPlace }] = await Promise.all([import('../audit/fix/patches.js'), import('../audit/fix/inPlace.js')]);
        const outcome = applyFixesInPlace(collectFixes(shown.run.details), run.yamlSources);
        for (const w of outcome.written)
          notes.push(`${pc.green('fixed')} ${w.file}: ${w.fixes.map((f) => `${f.kind} ${f.name} (${f.resolves.join(', ')})`).join('; ')}`);
        for (const s of outcome.skipped)
          notes.push(`${pc.yellow('not edited')} ${[s.file, s.line, s.column].filter((x) => x !== undefined).join(':')}: ${s.reason}`);
        for (const f of outcome.failed) notes.push(`${pc.red(`error[${f.code}]`)} not edited ${f.file}: ${f.reason}`);
        if (outcome.failed.length > 0) writeFailed = true;
        if (outcome.written.length === 0 && outcome.skipped.length === 0 && outcome.failed.length === 0) notes.push('--fix-in-place: no fixable findings');
        // Report what is left after the edit, which is what the exit code should reflect.
        if (outcome.written.length > 0) shown = atOrAbove(await auditPaths(paths, options), minSeverity);
      }
    }

    run = shown.run;
    const stream = reportToStderr ? process.stderr : process.stdout;
    const terminal = !output && !!stream.isTTY;
    const report = await renderReport(run, format, {
      color: terminal && !process.env.NO_COLOR,
      rules: ruleMetas,
      ...(docsBaseUrl === undefined ? {} : { docsBaseUrl }),
      ...(flags.quiet ? { quiet: true } : {}),
      // A terminal narrower than the report's 100 columns gets lines of its own width.
      ...(terminal && process.stdout.columns > 0 && process.stdout.columns < 100 ? { width: Math.max(60, process.stdout.columns) } : {}),
      ...(shown.hidden > 0 ? { hidden: { below: minSeverity, count: shown.hidden } } : {}),
    });
    if (output) output.write(report);
    else stream.write(report);
    if (run.objectCount === 0 && run.dockerfiles.length === 0 && run.errors.length === 0)
      notes.push(pc.yellow('nothing to audit: no Kubernetes objects (apiVersion + kind) or Dockerfiles in the input'));
    for (const n of notes) process.stderr.write(`${n}\n`);
    // A file --fix-in-place could not write (permission, full disk) is the machine's problem: exit 4.
    return writeFailed ? ExitCode.environment : auditExitCode(run, failOn);
  } finally {
    output?.discard();
    stopInterrupts();
  }
}

/** The run with the findings below --min-severity left out (of the report, --fix and the exit code), and how many. */
function atOrAbove(run: AuditRun, min: Severity): { run: AuditRun; hidden: number } {
  const keep = (s: Severity) => SEVERITY_RANK[s] >= SEVERITY_RANK[min];
  const findings = run.findings.filter((f) => keep(f.severity));
  return {
    run: { ...run, findings, details: run.details.filter((d) => keep(d.finding.severity)) },
    hidden: run.findings.length - findings.length,
  };
}

/** --output under the output policy: never an audited file, nor one the directory walk would read. */
function claimReportFile(path: string, force: boolean, paths: readonly string[], configFile: string | undefined): OutputFile {
  const inputs = [...paths.filter((p) => p !== '-'), ...(configFile ? [configFile] : [])];
  return claimOutputs([{ flag: '--output', path }], { force, inputs: { paths: inputs, readsFromDirectory: (f) => sourceKindOf(f) !== undefined } })[0]!;
}

function checkClusterFlags(paths: string[], flags: AuditFlags): void {
  const clusterOnly = [
    flags.namespace !== undefined && '-n',
    flags.allNamespaces && '--all-namespaces',
    flags.context !== undefined && '--context',
    flags.kubeconfig !== undefined && '--kubeconfig',
  ].filter(Boolean);
  if (!flags.cluster) {
    if (clusterOnly.length > 0) throw usageError('conflicting-flags', `${clusterOnly.join(', ')} only apply with --cluster`);
    return;
  }
  if (paths.length > 0) throw usageError('conflicting-flags', '--cluster audits live objects; give no PATH with it');
  if (flags.namespace !== undefined && flags.allNamespaces) throw usageError('conflicting-flags', 'choose one of -n NAMESPACE and --all-namespaces');
  if (flags.fixInPlace) throw usageError('conflicting-flags', '--fix-in-place edits files; with --cluster use --fix to print patches');
}

/** audit --cluster: the rules on the objects the API server lists (src/cluster/liveAudit.ts). */
async function auditClusterRun(
  flags: AuditFlags,
  options: Pick<AuditPathsOptions, 'settings' | 'severities' | 'debug'>,
  notes: string[],
  kubernetesVersionPinned: boolean,
): Promise<AuditRun> {
  // Loaded on use: only --cluster needs the cluster layer.
  const { auditLiveObjects } = await import('../cluster/liveAudit.js');
  const live = await auditLiveObjects({
    ...options,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(flags.allNamespaces ? { allNamespaces: true } : {}),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    kubernetesVersionPinned,
  });
  for (const n of live.notes) notes.push(pc.dim(n));
  notes.push(
    pc.dim(
      `audited ${live.run.objectCount} live objects in ${live.namespace === undefined ? 'all namespaces' : `namespace ${live.namespace}`} (context ${live.context})`,
    ),
  );
  for (const s of live.skipped) notes.push(pc.yellow(`not audited: ${s}; rules that relate workloads to them stayed silent`));
  return live.run;
}

const AUDIT_HELP = `
What it checks
  Kubernetes manifests (YAML/JSON, multi-document, kind: List) and Dockerfiles, against the
  seven Rules of Uptime: the app sees its stop signal (1), the right one (2), readiness and
  liveness probes that differ (3), a preStop delay that outlasts endpoint propagation (4),
  current workload APIs (5), a rollout that keeps ready pods (6), sidecars that outlive the
  app (7). 'zerodrop rules' lists every check by rule; 'zerodrop explain RULE' prints its page.

  PATH is a file, a directory (searched for *.yaml, *.yml, *.json, Dockerfile, *.Dockerfile,
  Containerfile), or '-' for stdin. A directory with a kustomization.yaml is rendered with
  'kubectl kustomize' first.

Reading the report
  Findings are grouped by rule, errors first. Each group explains the problem and its fix once,
  then lists one line per object under its file (file:line:col), with what differs between
  objects below it. A summary by rule ends the report. Lines fit 100 columns.
  error    requests are dropped (or the pod SIGKILLed) on every rollout or node drain
  warning  requests are dropped under plausible conditions, or the rollout can stall
  info     a hint that makes the setup sturdier (often code or the cluster decides)

Choosing what you see
  --min-severity warning   leave info out (of every format, --fix and the exit code)
  --quiet                  one line per finding: file:line:col severity rule object
  --format json|sarif|...  one result per finding, for tools and code scanning (docs/ci.md)

Examples
  zerodrop audit k8s/                                a directory (or a kustomize overlay)
  zerodrop audit deploy.yaml Dockerfile              a manifest and the image it runs
  helm template my-chart | zerodrop audit -          a Helm chart, rendered and piped
  kustomize build overlays/prod | zerodrop audit -   kustomize without kubectl
  zerodrop audit k8s/ --min-severity error           only what breaks every rollout
  zerodrop audit k8s/ --format sarif --output zerodrop.sarif    for GitHub code scanning
  zerodrop audit k8s/ --fix > zerodrop-patch.yaml    a kustomize patch that fixes what it can
  zerodrop audit k8s/ --fail-on warning              stricter CI gate
  zerodrop audit k8s/ --explain-paths               how requests reach each workload, and so
                                                     how long its preStop must last

Assumptions you can tune (flags, .zerodrop.yaml, or per workload annotations)
  --propagation-seconds  how long endpoint removal takes to reach every proxy (default 5)
  --drain-seconds        how long the app needs after its stop signal (default 5);
                         per workload: zerodrop.dev/drain-seconds: "N"
  zerodrop.dev/in-app-drain: "true"       the app delays its own shutdown, so no preStop sleep
                                          is needed ("adaptive": it drains until traffic stops)
  zerodrop.dev/ignore: "rule-a, rule-b"   suppress rules on one object (or its pod template)

Traffic paths (docs/reference/traffic-paths.md): a pod must keep serving after its deletion until
the slowest path to it lets go: kube-proxy and in-cluster ingress controllers follow
--propagation-seconds; cloud load balancers have their own times (AWS NLB with IP targets ~120 s,
ALB 30 s, Azure AGIC 90 s, GKE NEG and externalTrafficPolicy: Local a health-check window).
Set the time you measured on the Service, Ingress or TargetGroupBinding that makes the path:
  zerodrop.dev/removal-seconds: "45"
or per path kind in .zerodrop.yaml (paths: below); --explain-paths shows every number's source.

.zerodrop.yaml (in the working directory, or --config FILE)
  kubernetesVersion: "1.33"
  propagationSeconds: 5
  drainSeconds: 5
  failOn: error
  minSeverity: info
  rules:
    min-ready-seconds-unset: off
    single-replica: error
  paths:
    aws-nlb-ip:
      removalSeconds: 150

Exit codes
  0 nothing at or above --fail-on; 1 findings; 2 usage or input errors (findings from the inputs
  that could be read are still reported; docs/errors.md lists the error codes); 4 missing
  environment (cluster unreachable, forbidden); 130 interrupted (SIGINT or SIGTERM).`;

export function registerAuditCommands(program: Command): void {
  program
    .command('audit [paths...]')
    .description('check manifests and Dockerfiles against the Rules of Uptime')
    .addOption(new Option('--format <format>', 'output format (CI formats: docs/ci.md)').choices(FORMATS))
    .option('--output <file>', 'write the report to FILE instead of stdout (refuses an existing file unless --force, never an input)')
    .option('--force', 'replace the --output file if it exists')
    .option('--docs-base-url <url>', 'SARIF: base URL of the rule pages, helpUri = URL/<rule>.md (default: docs/rules at this version on GitHub)')
    .option('--changed-files', 'PATHs are changed files (pre-commit): audit each with its kustomization or neighbours, report findings in them only')
    .option('--chart-root <dir>', "helm template output on stdin: the chart's directory, so template paths resolve in the repository")
    .option('--kubernetes-version <X.Y>', `target Kubernetes version (default ${DEFAULT_KUBERNETES_VERSION})`)
    .option('--propagation-seconds <n>', `assumed endpoint-propagation time (default ${DEFAULT_PROPAGATION_SECONDS})`)
    .option('--drain-seconds <n>', `assumed time the app needs after its stop signal (default ${DEFAULT_DRAIN_SECONDS})`)
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default error)').choices(['error', 'warning', 'info', 'never']))
    .addOption(new Option('--min-severity <severity>', 'leave out findings below it: report, --fix and exit code (default info)').choices(MIN_SEVERITY))
    .option('-q, --quiet', 'text: one line per finding, no explanations or summary; nothing when clean')
    .option('--config <file>', 'config file (default: .zerodrop.yaml in the working directory)')
    .option('--explain-paths', "print each serving workload's traffic paths, how late each lets go of a pod and why, instead of findings")
    .option('--fix', 'print a kustomize strategic-merge patch per workload that resolves the fixable findings')
    .option('--fix-in-place', 'edit plain manifest files in place (comments kept); never stdin or rendered kustomize output')
    .option('--cluster', 'audit the live objects of a cluster instead of files (docs/rollout.md)')
    .option('-n, --namespace <ns>', "with --cluster: the namespace (default: the context's)")
    .option('-A, --all-namespaces', 'with --cluster: every namespace')
    .option('--context <ctx>', 'with --cluster: kubeconfig context')
    .option('--kubeconfig <file>', 'with --cluster: kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .addHelpText('after', AUDIT_HELP)
    .action(async (paths: string[], flags: AuditFlags, cmd: Command) => {
      const debug = !!cmd.optsWithGlobals().debug || process.env.ZERODROP_DEBUG === '1';
      process.exitCode = await runAuditCommand(paths, flags, debug);
    });

  program
    .command('rules')
    .description('list the audit rules by what they look at, with their Rule of Uptime and default severity')
    .addOption(
      new Option('--format <format>', 'text, or json: every rule with its group (looksAt), Rule of Uptime, severity and summary')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action((flags: { format: 'text' | 'json' }) => {
      const metas = ruleMetas();
      process.stdout.write(flags.format === 'json' ? rulesJson(metas) : rulesText(metas));
    });

  program
    .command('explain <rule>')
    .description("print a rule's page: what it checks, why, bad and good examples, the fix, how to suppress it")
    .action((id: string) => {
      const ids = ruleMetas().map((m) => m.id);
      if (!ids.includes(id)) {
        const renamed = renamedRuleMessage(id);
        if (renamed) throw usageError('unknown-rule', renamed);
        const hint = didYouMean(id, ids, (w) => Math.max(3, Math.floor(w.length / 2)));
        throw usageError('unknown-rule', `unknown rule "${id}"${hint ? `; did you mean "${hint}"?` : ''} ('zerodrop rules' lists them)`);
      }
      const page = readRuleDocs(id);
      if (!page) {
        const m = ruleMetas().find((x) => x.id === id)!;
        process.stdout.write(`${id}: ${m.summary}\n(no docs page shipped for this rule)\n`);
        return;
      }
      process.stdout.write(page.endsWith('\n') ? page : `${page}\n`);
      process.exitCode = ExitCode.ok;
    });
}
