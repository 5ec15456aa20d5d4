import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ZerodropError } from '../../errors.js';
import { terminalSafe } from '../../terminalText.js';
import { parentDeathPrefix, pidNamespaceSupport } from './containment.js';
import { killGroup, labProcesses, type ProcessRegistry } from './processRegistry.js';
import { OWNER_ENV } from './processSweep.js';

export { pidNamespaceSupport } from './containment.js';

export interface ContainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ContainerProcessOptions {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /**
   * Run as PID 1 of a new PID namespace (`pidNamespaceSupport`), so a process without a SIGTERM
   * handler ignores SIGTERM as in a real container (docs/reference/signals.md#pid-1), and everything it starts dies with it.
   * Otherwise the process is an ordinary child whose default SIGTERM action kills it, and what
   * leaves its group is found by its owner mark (containment.ts).
   */
  pidNamespace?: boolean;
  registry?: ProcessRegistry;
  /** Keeps the last lines of stdout/stderr for error messages. */
  logLines?: number;
}

/**
 * One container: a child process in its own process group, with a parent-death signal and an
 * owner mark in its environment. The stop signal goes to the main process only (PID 1 of the
 * container, docs/reference/pod-termination.md#stop-container, docs/reference/pod-termination.md#pid-1-only); SIGKILL goes to the whole group, as the runtime kills
 * every process of the container. When the main process exits, the rest of the container is
 * killed too (a container's PID namespace dies with its PID 1): the group at once, what left the
 * group by its owner mark.
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
  /** This instance's owner mark (`OWNER_ENV`). */
  readonly owner: string;
  /** The environment it runs with, owner mark included: exec hooks and probes run with it too. */
  readonly env: Record<string, string>;

  private constructor(options: ContainerProcessOptions) {
    this.registry = options.registry ?? labProcesses;
    this.owner = this.registry.newOwner();
    this.env = { ...options.env, [OWNER_ENV]: this.owner };
    const namespace = options.pidNamespace ? (pidNamespaceSupport().prefix ?? []) : [];
    const argv = [...parentDeathPrefix(), ...namespace, ...options.argv];
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: this.env,
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
        if (this.pgid > 0) this.registry.release(this.pgid, this.owner);
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
    if (options.pidNamespace && !pidNamespaceSupport().available)
      throw new ZerodropError('lab-no-pid-namespace', `a PID namespace is unavailable here: ${pidNamespaceSupport().reason}`);
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
   * With `unshare --fork`, the container's PID 1 is unshare's child (setpriv execs unshare in
   * place, so the spawned pid is unshare's); signals must go to PID 1, not to unshare. It appears
   * within a few milliseconds; until then signals go to unshare, which `--kill-child` turns into a
   * SIGKILL of the child when unshare dies.
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
