import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { ZerodropError } from '../../errors.js';
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
  private readonly child: ChildProcess;
  private readonly pgid: number;
  private mainPid: number;
  private exitInfo: ContainerExit | undefined;
  private readonly log: string[] = [];
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
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.log.push(line);
        if (this.log.length > keep) this.log.shift();
      }
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
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
        this.log.push(`spawn ${argv[0]}: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
        finish({ code: 127, signal: null });
      });
      this.child.on('exit', (code, signal) => finish({ code, signal }));
    });
  }

  static start(options: ContainerProcessOptions): ContainerProcess {
    if (options.argv.length === 0) throw new ZerodropError('lab-bad-command', 'a container has an empty command');
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

  lastOutput(): string[] {
    return [...this.log];
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
