import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ZerodropError } from '../../errors.js';
import { terminalSafe } from '../../terminalText.js';
import { killGroup, labProcesses, type ProcessRegistry } from './processRegistry.js';

export interface ContainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ContainerProcessOptions {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /**
   * Run as PID 1 of a new PID namespace (`unshare --pid --fork`, Linux, root only), so a process
   * without a SIGTERM handler ignores SIGTERM as in a real container (§6.1). Otherwise the process
   * is an ordinary child whose default SIGTERM action kills it.
   */
  pidNamespace?: boolean;
  registry?: ProcessRegistry;
  /** Keeps the last lines of stdout/stderr for error messages. */
  logLines?: number;
}

/**
 * One container: a child process in its own process group. The stop signal goes to the main
 * process only (PID 1 of the container, §1.2 step 4.6, §1.7 item 5); SIGKILL goes to the whole
 * group, as the runtime kills every process of the container. When the main process exits, the
 * rest of the group is killed too: a container's PID namespace dies with its PID 1.
 */
export class ContainerProcess {
  readonly exited: Promise<ContainerExit>;
  /**
   * Resolves once stdout and stderr are closed: the process's last words may arrive after its
   * exit, and a crash report must wait for them.
   */
  readonly outputDone: Promise<void>;
  private readonly child: ChildProcess;
  private readonly pgid: number;
  private mainPid: number;
  private exitInfo: ContainerExit | undefined;
  private readonly log: string[] = [];
  private readonly errLog: string[] = [];
  private readonly registry: ProcessRegistry;

  private constructor(options: ContainerProcessOptions) {
    this.registry = options.registry ?? labProcesses;
    const argv = options.pidNamespace ? ['unshare', '--pid', '--fork', '--kill-child', ...options.argv] : options.argv;
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) {
      // spawn failed synchronously (ENOENT is reported through 'error'); keep a sentinel.
      this.pgid = -1;
      this.mainPid = -1;
    } else {
      this.pgid = this.child.pid;
      this.mainPid = this.child.pid;
      this.registry.add(this.pgid);
    }
    const keep = options.logLines ?? 20;
    // Lines split across chunks are joined again; control characters are neutralised at once,
    // because this output ends up in messages, events and the terminal.
    const collect = (stream: Readable | null, tails: string[][]): Promise<void> => {
      if (!stream) return Promise.resolve();
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.record(tails, line, keep);
      });
      return new Promise((resolve) =>
        stream.once('close', () => {
          this.record(tails, partial, keep);
          resolve();
        }),
      );
    };
    this.outputDone = Promise.all([collect(this.child.stdout, [this.log]), collect(this.child.stderr, [this.log, this.errLog])]).then(() => {});
    this.exited = new Promise((resolve) => {
      const finish = (info: ContainerExit): void => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        // The container's PID 1 is gone: nothing else of it survives (namespace teardown).
        if (this.pgid > 0) {
          killGroup(this.pgid, 'SIGKILL');
          this.registry.remove(this.pgid);
        }
        resolve(info);
      };
      this.child.on('error', (err) => {
        this.record([this.log, this.errLog], `spawn ${argv[0]}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, keep);
        finish({ code: 127, signal: null });
      });
      this.child.on('exit', (code, signal) => finish({ code, signal }));
    });
  }

  static start(options: ContainerProcessOptions): ContainerProcess {
    if (options.argv.length === 0) throw new ZerodropError('lab-empty-command', 'a container has an empty command');
    const proc = new ContainerProcess(options);
    if (options.pidNamespace) proc.findNamespaceInit();
    return proc;
  }

  get pid(): number {
    return this.mainPid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exitStatus(): ContainerExit | undefined {
    return this.exitInfo;
  }

  /** The last lines of stdout and stderr together, in the order they came. */
  lastOutput(): string[] {
    return [...this.log];
  }

  /** The last lines of stderr alone: where a crashing program says why. */
  lastStderr(): string[] {
    return [...this.errLog];
  }

  private record(tails: string[][], line: string, keep: number): void {
    if (line.trim() === '') return;
    const safe = terminalSafe(line.replace(/\r$/, ''));
    for (const tail of tails) {
      tail.push(safe);
      if (tail.length > keep) tail.shift();
    }
  }

  /** Stop signal to the container's main process only (PID 1 in a PID namespace). */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.running || this.mainPid <= 0) return false;
    try {
      process.kill(this.mainPid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL to every process of the container. */
  kill(): void {
    if (this.pgid > 0) killGroup(this.pgid, 'SIGKILL');
  }

  /**
   * With `unshare --fork`, the container's PID 1 is unshare's child; signals must go to it, not to
   * unshare. It appears within a few milliseconds; until then signals go to unshare, which
   * `--kill-child` turns into a SIGKILL of the child when unshare dies.
   */
  private findNamespaceInit(): void {
    const started = Date.now();
    const look = (): void => {
      if (!this.running) return;
      try {
        const children = readFileSync(`/proc/${this.pgid}/task/${this.pgid}/children`, 'utf8').trim();
        const first = Number(children.split(/\s+/)[0]);
        if (first > 0) {
          this.mainPid = first;
          return;
        }
      } catch {
        return;
      }
      if (Date.now() - started < 2000) setTimeout(look, 5).unref();
    };
    look();
  }
}

/** Whether `--pid-namespace` can work here, and why not when it cannot. */
export function pidNamespaceSupport(): { available: boolean; reason?: string } {
  if (process.platform !== 'linux') return { available: false, reason: 'PID namespaces need Linux' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { available: false, reason: 'unshare --pid needs root (run as root or drop --pid-namespace)' };
  try {
    readlinkSync('/proc/self/ns/pid');
  } catch {
    return { available: false, reason: 'this kernel exposes no PID namespaces (/proc/self/ns/pid)' };
  }
  const probe = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true'], { stdio: 'ignore', timeout: 5000 });
  if (probe.error || probe.status !== 0)
    return {
      available: false,
      reason: `unshare --pid --fork failed here (${probe.error ? (probe.error as NodeJS.ErrnoException).code : `exit ${probe.status}`}); is util-linux installed and are namespaces allowed?`,
    };
  return { available: true };
}
