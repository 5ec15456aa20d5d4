import { spawn } from 'node:child_process';
import { ZerodropError, type ErrorCode } from '../errors.js';
import { execPluginHint } from './execPluginHints.js';
import type { ClusterEntry, ExecConfig } from './kubeconfigFile.js';

/** What a credential plugin returned (client.authentication.k8s.io ExecCredentialStatus). */
export interface ExecCredential {
  token?: string;
  clientCert?: { cert: string; key: string };
  /** ms since the epoch; undefined: valid for the life of the process. */
  expiresAt?: number;
}

/** The terminal a plugin may talk to. */
export interface ExecIO {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream;
  stdinIsTerminal: boolean;
}

export interface ExecPluginOptions {
  io?: ExecIO;
  /** Longest wait for a plugin that cannot prompt (default 120 s: a device-code login takes a human that long). */
  timeoutMs?: number;
  /** Longest wait for a plugin talking to a terminal (default 300 s). */
  interactiveTimeoutMs?: number;
}

const KUBERNETES_EXEC_INFO = 'KUBERNETES_EXEC_INFO';
const PLUGIN_DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';
const API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);

const processIO = (): ExecIO => ({ stdin: process.stdin, stderr: process.stderr, stdinIsTerminal: process.stdin.isTTY === true });

/**
 * A client-go credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin, ...) run
 * as client-go runs it (plugin/pkg/client/auth/exec/exec.go): with KUBERNETES_EXEC_INFO (and the
 * cluster when provideClusterInfo is set), its stderr passed through to the user, stdin attached
 * only when it may be interactive and stdin is a terminal, its answer cached until its
 * expirationTimestamp (for the process lifetime without one), and run again when the API server
 * rejects the credential. Unlike client-go it has a deadline, so a plugin waiting for a login
 * nobody sees cannot hang the run, and its failures name the plugin and what to do.
 */
export class ExecCredentialPlugin {
  runs = 0;
  private cached: ExecCredential | undefined;
  private running: Promise<ExecCredential> | undefined;

  constructor(
    private readonly config: ExecConfig,
    private readonly cluster: ClusterEntry,
    private readonly context: string,
    private readonly options: ExecPluginOptions = {},
  ) {}

  get describe(): string {
    const text = [this.config.command, ...this.config.args].join(' ');
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  async get(now = Date.now()): Promise<ExecCredential> {
    if (this.cached && (this.cached.expiresAt === undefined || now < this.cached.expiresAt)) return this.cached;
    return this.refresh(this.cached);
  }

  /** Runs the plugin again unless someone already did since `used` was handed out. */
  async refresh(used: ExecCredential | undefined): Promise<ExecCredential> {
    if (this.cached !== used && this.cached !== undefined) return this.cached;
    this.running ??= this.run().finally(() => (this.running = undefined));
    this.cached = await this.running;
    return this.cached;
  }

  private interactive(io: ExecIO): boolean {
    if (this.config.interactiveMode === 'Never') return false;
    if (this.config.interactiveMode === 'Always' && !io.stdinIsTerminal) {
      throw this.error(
        'cluster-exec-plugin-failed',
        'needs a terminal (interactiveMode: Always) but standard input is not one; run zerodrop from a terminal, or log in first',
      );
    }
    return io.stdinIsTerminal;
  }

  private execInfo(interactive: boolean): string {
    const c = this.cluster;
    const cluster = {
      server: c.server,
      ...(c.tlsServerName ? { 'tls-server-name': c.tlsServerName } : {}),
      ...(c.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(c.certificateAuthorityData ? { 'certificate-authority-data': c.certificateAuthorityData } : {}),
      ...(c.proxyUrl ? { 'proxy-url': c.proxyUrl } : {}),
      ...(c.execExtension !== undefined ? { config: c.execExtension } : {}),
    };
    return JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: this.config.apiVersion,
      spec: { interactive, ...(this.config.provideClusterInfo ? { cluster } : {}) },
    });
  }

  private run(): Promise<ExecCredential> {
    const io = this.options.io ?? processIO();
    const interactive = this.interactive(io);
    const timeoutMs = interactive ? (this.options.interactiveTimeoutMs ?? 300_000) : (this.options.timeoutMs ?? 120_000);
    this.runs++;
    return new Promise<ExecCredential>((resolve, reject) => {
      const env = { ...process.env, ...Object.fromEntries(this.config.env.map((e) => [e.name, e.value])), [KUBERNETES_EXEC_INFO]: this.execInfo(interactive) };
      const inheritStdin = interactive && io.stdin === process.stdin;
      const child = spawn(this.config.command, this.config.args, {
        env,
        stdio: [interactive ? (inheritStdin ? 'inherit' : 'pipe') : 'ignore', 'pipe', 'pipe'],
      });
      if (interactive && !inheritStdin && child.stdin) io.stdin.pipe(child.stdin);
      let stdout = '';
      let stderrTail = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr!.on('data', (d: Buffer) => {
        // Shown as it comes (a login prompt must reach the user) and kept for the error message.
        io.stderr.write(d);
        stderrTail = (stderrTail + d.toString('utf8')).slice(-2000);
      });
      const killOnExit = () => child.kill('SIGKILL');
      process.once('exit', killOnExit);
      let settled = false;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        process.off('exit', killOnExit);
        fn();
      };
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        const hint = execPluginHint(this.config.command, this.config.args);
        done(() =>
          reject(
            this.error(
              'cluster-exec-plugin-timeout',
              `gave no credential within ${Math.round(timeoutMs / 1000)} s${interactive ? '' : ' (stdin is not a terminal, so it cannot prompt)'}; if it waits for a login, ${hint ? hint.login : 'log in once in a terminal (e.g. kubectl get ns) and retry'}`,
            ),
          ),
        );
      }, timeoutMs);
      child.on('error', (err: NodeJS.ErrnoException) => done(() => reject(this.spawnError(err))));
      child.on('close', (code, signal) => {
        if (settled) return;
        if (code !== 0) {
          const said = pluginSays(stderrTail);
          const hint = execPluginHint(this.config.command, this.config.args);
          return done(() =>
            reject(
              this.error(
                'cluster-exec-plugin-failed',
                `failed with ${signal ? `signal ${signal}` : `exit code ${code}`}${said ? `: ${said}` : ''}; ${hint ? `${hint.vendor}: ${hint.login} (${hint.docs})` : 'run the same command in a terminal to see why, fix its login, then retry'}`,
              ),
            ),
          );
        }
        try {
          const credential = this.parse(stdout);
          done(() => resolve(credential));
        } catch (err) {
          done(() => reject(err));
        }
      });
    });
  }

  private parse(stdout: string): ExecCredential {
    let parsed: { kind?: unknown; apiVersion?: unknown; status?: Record<string, unknown> };
    try {
      parsed = JSON.parse(stdout) as typeof parsed;
    } catch {
      throw this.error(
        'cluster-exec-plugin-invalid',
        `printed something that is not an ExecCredential JSON object on stdout (${JSON.stringify(stdout.slice(0, 60))})`,
      );
    }
    if (parsed.apiVersion !== this.config.apiVersion) {
      throw this.error(
        'cluster-exec-plugin-invalid',
        `answered apiVersion ${String(parsed.apiVersion)}, but the kubeconfig asks for ${this.config.apiVersion}`,
      );
    }
    const status = parsed.status;
    if (!status) throw this.error('cluster-exec-plugin-invalid', 'returned no status field');
    const token = typeof status.token === 'string' && status.token !== '' ? status.token.trim() : undefined;
    const cert = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : undefined;
    const key = typeof status.clientKeyData === 'string' ? status.clientKeyData : undefined;
    if (!token && !cert && !key) throw this.error('cluster-exec-plugin-invalid', 'returned neither a token nor a client certificate and key');
    if (!cert !== !key) throw this.error('cluster-exec-plugin-invalid', 'returned only a client certificate or only a key, not both');
    const expires = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
    return {
      ...(token ? { token } : {}),
      ...(cert && key ? { clientCert: { cert, key } } : {}),
      ...(Number.isFinite(expires) ? { expiresAt: expires } : {}),
    };
  }

  private spawnError(err: NodeJS.ErrnoException): ZerodropError {
    if (err.code === 'ENOENT') {
      const hint = execPluginHint(this.config.command, this.config.args);
      const install = this.config.installHint?.trim().replace(/\s+/g, ' ') ?? (hint ? `${hint.vendor}: ${hint.install} (${hint.docs})` : `see ${PLUGIN_DOCS}`);
      return new ZerodropError(
        'cluster-exec-plugin-missing',
        `exec: executable ${this.config.command} not found: context "${this.context}" gets its credentials from this client-go credential plugin, which is not installed or not on PATH; ${install}`,
        { cause: err },
      );
    }
    return this.error(
      'cluster-exec-plugin-failed',
      `could not be started (${err.code ?? err.message}${err.code === 'EACCES' ? ': the file is not executable' : ''})`,
      err,
    );
  }

  private error(code: ErrorCode, what: string, cause?: unknown): ZerodropError {
    return new ZerodropError(code, `the credential plugin "${this.describe}" of context "${this.context}" ${what}`, {
      ...(cause ? { cause } : {}),
    });
  }
}

/**
 * The plugin's own explanation from its stderr: the last line that reads like an error (a CLI's
 * "ERROR: ..." part of it when the line wraps another tool's output, as gke-gcloud-auth-plugin's
 * does), else its last line.
 */
export function pluginSays(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.filter((l) => /\b(error|failed|expired|denied|unauthori[sz]ed|not found|unable|invalid)\b/i.test(l)).at(-1) ?? lines.at(-1) ?? '';
  return (/\bERROR: .*/.exec(line)?.[0] ?? line).slice(0, 300);
}

const plugins = new Map<string, ExecCredentialPlugin>();

/**
 * One plugin per configuration and cluster for the whole process, as client-go caches its
 * authenticators: every client of the run shares the credential and runs the plugin once.
 */
export function execPluginFor(config: ExecConfig, cluster: ClusterEntry, context: string, options: ExecPluginOptions = {}): ExecCredentialPlugin {
  if (!API_VERSIONS.has(config.apiVersion)) {
    throw new ZerodropError(
      'kubeconfig-invalid',
      `the exec plugin of context "${context}" asks for apiVersion ${config.apiVersion}; client.authentication.k8s.io/v1 and v1beta1 are supported (v1alpha1 was removed in Kubernetes 1.24)`,
    );
  }
  const key = JSON.stringify([config, cluster]);
  let plugin = plugins.get(key);
  if (!plugin) plugins.set(key, (plugin = new ExecCredentialPlugin(config, cluster, context, options)));
  return plugin;
}
