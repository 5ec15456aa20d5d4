import { randomBytes } from 'node:crypto';
import { startOrphanReaper, type OrphanReaper } from './orphanReaper.js';
import { sweepOwned } from './processSweep.js';

/**
 * Every process group the lab starts is recorded here, and every container instance gets an
 * owner mark (`newOwner`, carried in its environment), so that success, failure, Ctrl-C, SIGTERM
 * to the lab and a crashing pod all end with no orphan: `killAll` SIGKILLs each group and then
 * every marked process that left its group (`setsid` daemons, shell jobs), synchronously, which
 * is safe to call from a signal handler or a process `exit` hook. The orphan reaper mirrors the
 * record, so that the same happens when the lab itself is SIGKILLed (orphanReaperProcess.ts).
 */
export class ProcessRegistry {
  private readonly groups = new Set<number>();
  /** Unique to this lab process: `token/N` marks its N-th container instance. */
  readonly token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private instances = 0;
  private reaper: OrphanReaper | undefined;
  private reaperStarted: boolean;

  /** @param options.reaper false: no reaper process (a SIGKILLed owner then relies on pdeathsig alone). */
  constructor(options: { reaper?: boolean } = {}) {
    this.reaperStarted = options.reaper === false;
  }

  add(pgid: number): void {
    this.groups.add(pgid);
    this.reaperLink()?.send(`+${pgid}`);
  }

  remove(pgid: number): void {
    this.groups.delete(pgid);
    this.reaper?.send(`-${pgid}`);
  }

  size(): number {
    return this.groups.size;
  }

  /** A fresh owner mark for a container instance (its processes and its exec hooks carry it). */
  newOwner(): string {
    this.reaperLink();
    return `${this.token}/${++this.instances}`;
  }

  /**
   * A container instance ended: its group is killed at once and what it left outside the group
   * is swept by the reaper, off this event loop; without a reaper, here and now.
   */
  release(pgid: number, owner: string): void {
    killGroup(pgid, 'SIGKILL');
    this.remove(pgid);
    if (this.reaper) this.reaper.send(`sweep ${owner}`);
    else sweepOwned(owner);
  }

  /** SIGKILLs every recorded group, then every process carrying this lab's mark. */
  killAll(): void {
    for (const pgid of this.groups) killGroup(pgid, 'SIGKILL');
    for (const pgid of this.groups) this.reaper?.send(`-${pgid}`);
    this.groups.clear();
    sweepOwned(this.token);
  }

  private reaperLink(): OrphanReaper | undefined {
    if (!this.reaperStarted) {
      this.reaperStarted = true;
      this.reaper = startOrphanReaper(this.token);
    }
    return this.reaper;
  }
}

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // -1 would signal every process we may signal, -0 our own group: never a container's.
  if (!(pgid > 1)) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The lab's one registry; `installExitCleanup` ties it to the process lifetime. */
export const labProcesses = new ProcessRegistry();

let exitHookInstalled = false;

/** Kills every recorded group when this Node process exits for any reason it can observe. */
export function installExitCleanup(registry: ProcessRegistry = labProcesses): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => registry.killAll());
}
