/**
 * Every error a user can cause, declared once: its stable code, the exit code the CLI ends with,
 * the part of zerodrop that raises it, and a one-line summary. `ErrorCode` is the union of these
 * keys, so a throw site cannot invent a code; docs/errors.md is generated from this table
 * (`npm run docs:errors`) and a test fails when the two differ. Add a code here, then throw it.
 *
 * A code names a meaning, not a throw site: "the rate is not a positive number" is one code
 * whether the lab, a lab file, rollout or the load generator finds it. `replaces` keeps a renamed
 * public code matchable for one release (ZerodropError.legacyCode, hasErrorCode).
 */

/** Which exit code (see ExitCode in src/errors.ts) the CLI ends with. */
export type ErrorExit = 'usage' | 'environment' | 'internal';

/** The part of zerodrop that raises the error; docs/errors.md has a section per area. */
export type ErrorArea = 'cli' | 'outputs' | 'inputs' | 'audit' | 'lab' | 'report' | 'rollout' | 'graceful' | 'internal';

export interface ErrorEntry {
  exit: ErrorExit;
  area: ErrorArea;
  /** One line: what went wrong, in words a user can act on. */
  summary: string;
  /** The code this one replaced; still matchable through `legacyCode` until the next minor release. */
  replaces?: string;
}

const usage = <A extends ErrorArea>(area: A, summary: string) => ({ exit: 'usage', area, summary }) as const;
const environment = <A extends ErrorArea>(area: A, summary: string) => ({ exit: 'environment', area, summary }) as const;
const internal = <A extends ErrorArea>(area: A, summary: string) => ({ exit: 'internal', area, summary }) as const;
const renamed = <R extends string, E extends ErrorEntry>(replaces: R, entry: E) => ({ ...entry, replaces });

export const ERROR_CATALOGUE = {
  // The command line
  'cli-usage': usage('cli', 'The command line does not parse: unknown command or option, missing argument, or a value outside its choices.'),
  'conflicting-flags': usage('cli', 'Flags or inputs that cannot go together (the message names them and the one to choose).'),
  'bad-number': usage('cli', 'A numeric flag is not a number, or is negative (or zero) where it may not be.'),
  'bad-rate': usage('cli', 'A request rate (--rate, a lab file rate:) is not a positive number of requests per second, or is above the lab limit of 5000.'),
  'bad-duration': usage('cli', 'A duration is not 500ms, 1.5s, 5m or bare seconds, is not positive, or is longer than a timer holds (2147483647 ms).'),
  'bad-delay-range': usage('cli', 'A delay is neither a duration nor a range like 0.5s..3s, or the range ends before it starts.'),
  'bad-url': usage('cli', 'A URL does not parse or is not http:// or https://.'),
  'bad-kubernetes-version': usage('cli', '--kubernetes-version is not a Kubernetes version like 1.33.'),

  // Output files
  'output-exists': usage('outputs', 'An output file (--json, --events, --report, --output, -o) already exists; pass --force to replace it.'),
  'output-conflict': usage('outputs', 'An output names a file the command reads, or the same file as another output; refused even with --force.'),
  'output-unwritable': usage('outputs', 'An output cannot be written: a directory, a missing directory or no permission (checked before anything runs).'),

  // Input files
  'input-unreadable': usage('inputs', 'An input file (manifest, lab file, config, events file, kubeconfig) does not exist or cannot be read.'),
  'yaml-invalid': usage('inputs', 'An input file is not valid YAML; the message names the file, line and column.'),
  'input-too-large': usage('inputs', 'An input (a file, stdin, a pipe, kubectl kustomize output) is larger than 32 MiB; none of it is read.'),
  'input-too-many-nodes': usage(
    'inputs',
    'The inputs of one run hold more than about 3 million YAML nodes, more than fits the heap with positions; audit the parts separately.',
  ),
  'input-not-text': usage(
    'inputs',
    'An input is binary, or text in an encoding kubectl does not read (UTF-16 without a byte-order mark, UTF-32); save it as UTF-8.',
  ),
  'yaml-duplicate-key': usage('inputs', 'A YAML mapping repeats a key, which kubectl rejects; the position is the repeat.'),
  'yaml-too-deep': usage('inputs', 'A YAML document nests collections more than 256 levels deep.'),
  'yaml-bad-alias': usage(
    'inputs',
    'An alias names no anchor before it in its own document (anchors do not cross ---), or a merge key (<<) names something other than a mapping.',
  ),
  'yaml-alias-limit': usage('inputs', 'A YAML document expands more than 100 aliases (an alias bomb); it is refused before expanding.'),
  'manifest-wrong-type': usage(
    'inputs',
    'A field of a Kubernetes object has a type the API server rejects (replicas: "3", env written as a mapping); the object is not audited or run.',
  ),
  'manifest-missing-field': usage('inputs', 'A Kubernetes object lacks a field the API server requires (a container name, a selector key or operator).'),

  // audit
  'audit-no-input': usage('audit', "No PATH was given on a terminal; give files or directories, or '-' to read manifests from stdin."),
  'config-invalid': usage('audit', 'A .zerodrop.yaml setting has the wrong type or value; the message names file:line:col.'),
  'config-unknown-setting': usage('audit', 'A .zerodrop.yaml key is not a setting (with the closest one when there is one).'),
  'kubectl-missing': environment(
    'audit',
    'A kustomize directory needs kubectl and it is not on PATH: install it, or pipe `kustomize build DIR` into zerodrop audit -.',
  ),
  'kustomize-failed': usage('audit', 'kubectl kustomize rejected a kustomization; the message carries its words.'),
  'kustomize-timeout': environment('audit', 'kubectl kustomize ran longer than 120 s and was stopped (a remote base that does not answer, usually).'),
  'fix-unwritable': environment(
    'audit',
    '--fix-in-place could not replace a file (read-only, no permission, a full disk or quota, several hard links), or it did not read back as written; the file holds its original bytes.',
  ),
  'unknown-rule': usage('audit', "A rule id (zerodrop explain, .zerodrop.yaml rules:) is not an audit rule; 'zerodrop rules' lists them."),

  // lab
  'lab-nothing-to-run': usage('lab', 'Every planned run needs something this machine lacks (the message says what per run).'),
  'lab-unknown-scenario': usage('lab', "--scenario names no bundled scenario; 'zerodrop lab --list' lists them."),
  'lab-unknown-run': usage('lab', '--runs names no run of the scenario.'),
  'lab-bad-run': usage('lab', '--run is not IMAGE=COMMAND.'),
  'lab-bad-rollout': usage('lab', '--rollout is not restart, image=IMAGE or image=CONTAINER=IMAGE, or names a container the Deployment lacks.'),
  'lab-file-invalid': usage('lab', 'A lab file has an unknown key or a value of the wrong type (manifests, images, rollout, proxy, connection, …).'),
  'lab-manifest-shape': usage('lab', 'A YAML document of a lab manifest is not a Kubernetes object (a mapping with apiVersion and kind).'),
  'lab-no-deployment': usage('lab', "The manifests hold no Deployment; the lab replays a Deployment's rolling update."),
  'lab-many-deployments': usage(
    'lab',
    'The manifests hold several Deployments and no single one is where the load arrives (behind an Ingress or Service); choose one with --workload NAME.',
  ),
  'lab-unknown-workload': usage('lab', '--workload names no Deployment of the input (the message lists the ones there are).'),
  'lab-input-is-patch': usage(
    'lab',
    'An input is a kustomize patch (a partial object, not a complete manifest); pass the directory whose kustomization applies it.',
  ),
  'lab-input-is-kustomization': usage('lab', 'An input is a kustomization file; pass its directory, which the lab renders with kubectl kustomize.'),
  'lab-bad-replicas': usage('lab', 'replicas is not a whole number ≥ 1.'),
  'lab-too-many-replicas': usage('lab', 'More than 20 replicas: more processes than the lab runs on one machine.'),
  'lab-bad-strategy': usage('lab', 'The Deployment strategy is not RollingUpdate or Recreate, or its maxSurge/maxUnavailable are invalid.'),
  'lab-bad-deadline': usage('lab', 'progressDeadlineSeconds is not greater than minReadySeconds (the API server rejects this).'),
  'lab-bad-field': usage('lab', 'A numeric Deployment or pod field (minReadySeconds, terminationGracePeriodSeconds, …) is not a number ≥ 0.'),
  'lab-no-containers': usage('lab', 'The pod template has no containers.'),
  'lab-init-containers': usage('lab', 'The pod has run-to-completion init containers, which the lab does not run (native sidecars it does).'),
  'lab-no-image': usage('lab', 'A container has no image.'),
  'lab-unmapped-image': usage('lab', 'A container image has no command to run it; map it with --run IMAGE=COMMAND or a lab file images: entry.'),
  'lab-bad-command': usage('lab', 'A container command has an unterminated quote.'),
  'lab-empty-command': environment(
    'lab',
    'A container has no command to run on this machine: map its image to a program with --run IMAGE=COMMAND or an images: entry.',
  ),
  'lab-command-not-found': environment(
    'lab',
    "The program a container runs is not an executable file on PATH or from the lab file's directory: install it or map the image to one that exists.",
  ),
  'lab-bad-signal': usage('lab', 'A stop signal is not a signal name this machine knows.'),
  'lab-bad-sleep': usage('lab', 'A preStop sleep is longer than terminationGracePeriodSeconds (the API server rejects this).'),
  'lab-bad-probe': usage('lab', 'A liveness or startup probe has successThreshold other than 1 (the API server rejects this).'),
  'lab-grpc-probe': usage('lab', 'A gRPC probe, which the lab does not emulate.'),
  'lab-no-pid-namespace': environment(
    'lab',
    '--pid-namespace needs Linux, unshare (util-linux) and root or unprivileged user namespaces; the message says what failed.',
  ),
  'nginx-missing': environment('lab', '--proxy nginx (or an nginx scenario) needs /usr/sbin/nginx: apt-get install nginx, or use the built-in proxy.'),
  'nginx-start-failed': environment('lab', "The lab's nginx did not start; the message carries nginx's last line."),
  'nginx-gone': environment('lab', "The lab's nginx exited during the run."),
  'nginx-reload-failed': environment('lab', "The lab's nginx refused a configuration reload."),

  // report
  'events-malformed': usage('report', 'A line of an events file is not an event written by zerodrop lab or rollout --events; the message names file:line.'),
  'events-empty': usage('report', 'The events file holds no events.'),
  'uplot-missing': environment('report', 'The uPlot files the HTML report inlines are missing from node_modules; reinstall zerodrop.'),

  // rollout and audit --cluster
  'rollout-bad-target': usage('rollout', 'The target is not deployment/NAME (only Deployments can be rolled out).'),
  'rollout-no-action': usage('rollout', 'Nothing says what starts the rollout: pass --restart, --image CONTAINER=IMAGE or --watch-only.'),
  'rollout-no-url': usage('rollout', '--url is missing: the address users hit (ingress, LoadBalancer or NodePort).'),
  'rollout-bad-connection': usage('rollout', '--connection is not keep-alive or fresh.'),
  'bad-image-flag': usage('rollout', '--image is not CONTAINER=IMAGE.'),
  'image-unknown-container': usage('rollout', '--image names a container the Deployment does not have.'),
  'image-unchanged': usage('rollout', '--image names the image the container already runs, so nothing would roll out; use --restart.'),
  'deployment-paused': usage('rollout', 'The Deployment is paused, so it would not roll out; kubectl rollout resume it first.'),
  'deployment-no-selector': usage('rollout', 'The Deployment has an empty selector, so its pods cannot be told apart.'),
  'kubeconfig-missing': environment('rollout', 'No kubeconfig was found (KUBECONFIG, ~/.kube/config, in-cluster); pass --kubeconfig FILE.'),
  'kubeconfig-invalid': usage('rollout', 'A kubeconfig file does not load.'),
  'kubeconfig-unknown-context': usage('rollout', '--context names a context the kubeconfig does not have.'),
  'kubeconfig-no-cluster': environment('rollout', 'The kubeconfig has no current context with a cluster; pass --context.'),
  'cluster-unreachable': environment('rollout', 'The Kubernetes API server does not answer (no proxy involved).'),
  'cluster-proxy': environment('rollout', 'The proxy (proxy-url, HTTPS_PROXY, HTTP_PROXY) is down or refused the tunnel to the API server.'),
  'cluster-ca-untrusted': environment(
    'rollout',
    "The API server's certificate is not vouched for by the kubeconfig's CA, or, without one, the system trust store.",
  ),
  'cluster-tls-name-mismatch': environment(
    'rollout',
    "The API server's certificate is not valid for the name connected to; use a listed name or tls-server-name.",
  ),
  'cluster-tls-invalid': environment(
    'rollout',
    'The TLS handshake failed: an expired or not yet valid certificate, or a client certificate the server refused.',
  ),
  'cluster-exec-plugin-missing': environment(
    'rollout',
    "The kubeconfig's credential plugin (aws, gke-gcloud-auth-plugin, kubelogin, ...) is not installed; the message has its install hint.",
  ),
  'cluster-exec-plugin-failed': environment(
    'rollout',
    'The credential plugin exited with an error (often an expired login); the message quotes it and says how to log in again.',
  ),
  'cluster-exec-plugin-timeout': environment('rollout', 'The credential plugin gave no credential in time (it waits for a login nobody can see).'),
  'cluster-exec-plugin-invalid': environment('rollout', 'The credential plugin answered something that is not a usable ExecCredential.'),
  'cluster-token-file': environment('rollout', "The kubeconfig user's token-file cannot be read."),
  'cluster-auth-provider': environment(
    'rollout',
    'The kubeconfig user has an auth-provider kubectl no longer supports (gcp, azure); the message names the plugin that replaces it.',
  ),
  'cluster-unauthorized': environment(
    'rollout',
    'The API server rejected the credentials (401), even after asking a plugin or token file again; refresh them and retry.',
  ),
  'cluster-forbidden': environment('rollout', 'RBAC forbids a call zerodrop needs (403); the message names the verb and resource to grant.'),
  'cluster-admission-denied': environment(
    'rollout',
    'An admission webhook or ValidatingAdmissionPolicy refused the change; the message quotes the policy. Not RBAC.',
  ),
  'cluster-throttled': environment('rollout', 'The API server kept answering 429 Too Many Requests (starting up, or API Priority and Fairness).'),
  'cluster-patch-unconfirmed': environment('rollout', 'The PATCH got no answer and the change did not show afterwards; the server may still apply it.'),
  'cluster-not-kubernetes': environment(
    'rollout',
    'The server the kubeconfig names answered 404 without a Kubernetes Status: it is not a Kubernetes API server, or its URL has a wrong path.',
  ),
  'cluster-not-found': usage('rollout', 'The named object (Deployment, namespace) does not exist (404).'),
  'cluster-api-error': environment('rollout', 'The API server answered another error; the message carries its words.'),
  'cluster-empty': usage('rollout', 'audit --cluster found no workloads or Services in the namespace; pass -n or --all-namespaces.'),
  'url-unhealthy': environment('rollout', '--url answers an error status before the rollout; point it at a path that answers 2xx/3xx.'),
  'url-not-answering': environment('rollout', '--url does not answer before the rollout (refused, reset, timeout); nothing was changed.'),

  // graceful (thrown to the application, not printed by the CLI)
  'graceful-invalid-option': renamed('GRACEFUL_INVALID_OPTION', usage('graceful', 'An option of graceful(), addReadinessCheck or addCleanup is invalid.')),
  'graceful-already-attached': renamed('GRACEFUL_ALREADY_ATTACHED', usage('graceful', 'graceful() was already attached to this server; reuse the first one.')),
  'graceful-not-http-server': renamed('GRACEFUL_NOT_HTTP_SERVER', usage('graceful', 'graceful() was given no node:http, node:https or node:http2 server.')),

  // Bugs
  'internal-error': internal('internal', 'A bug in zerodrop; rerun with --debug for the stack trace and report it.'),
} satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes the CLI ends with exit code 2 (usage or input error). */
export type UsageErrorCode = { [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['exit'] extends 'usage' ? C : never }[ErrorCode];

/** The previous spellings still accepted as aliases (GRACEFUL_INVALID_OPTION, …). */
export type LegacyErrorCode = { [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C] extends { replaces: infer R extends string } ? R : never }[ErrorCode];

/** Old code → current code, for the codes renamed in this release. */
export const LEGACY_ERROR_CODES = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE as Record<ErrorCode, ErrorEntry>).flatMap(([code, e]) => (e.replaces ? [[e.replaces, code]] : [])),
) as Readonly<Record<LegacyErrorCode, ErrorCode>>;
