/**
 * Every process group the lab starts is recorded here, so that success, failure, Ctrl-C, SIGTERM
 * to the lab and a crashing pod all end with no orphan: `killAll` SIGKILLs each group
 * synchronously, which is safe to call from a signal handler or a process `exit` hook.
 */
export class ProcessRegistry {
  private readonly groups = new Set<number>();

  add(pgid: number): void {
    this.groups.add(pgid);
  }

  remove(pgid: number): void {
    this.groups.delete(pgid);
  }

  size(): number {
    return this.groups.size;
  }

  /** SIGKILLs every recorded group; groups already gone are skipped silently. */
  killAll(): void {
    for (const pgid of this.groups) killGroup(pgid, 'SIGKILL');
    this.groups.clear();
  }
}

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
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
