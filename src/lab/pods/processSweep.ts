import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process a container starts carries this variable, `<lab token>/<container instance>`.
 * The environment is inherited across fork, exec, `setsid` and double forks, and reparenting to
 * init changes a process's parent but never its environment: a daemon that left the container's
 * process group and session is still found by it. Only a process that clears its own
 * environment loses it, and that one is still found as a descendant of a marked process while
 * its parent lives.
 */
export const OWNER_ENV = 'ZERODROP_LAB_OWNER';

/** Whether this machine lets the sweep see processes (Linux /proc). */
export const canSweep = process.platform === 'linux';

interface ProcessEntry {
  pid: number;
  ppid: number;
  owner: string | undefined;
}

const MARK = Buffer.from(`\0${OWNER_ENV}=`);

/** The owner recorded in a process's initial environment (NUL-separated `KEY=value`), if it has one. */
function ownerIn(environ: Buffer): string | undefined {
  const first = MARK.subarray(1);
  let start: number;
  if (environ.subarray(0, first.length).equals(first)) start = first.length;
  else {
    const at = environ.indexOf(MARK);
    if (at < 0) return undefined;
    start = at + MARK.length;
  }
  const end = environ.indexOf(0, start);
  return environ.toString('utf8', start, end < 0 ? environ.length : end);
}

/** Live processes (zombies and dead ones skipped: they can no longer run or be killed). */
function liveProcesses(): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      let owner: string | undefined;
      try {
        owner = ownerIn(readFileSync(`/proc/${entry}/environ`));
      } catch {
        // Another user's process (not ours to read, so not ours to kill), or gone.
      }
      found.push({ pid: Number(entry), ppid: Number(fields[1]), owner });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Whether `owner` is `selector` or one of its instances (`token` selects every `token/N`). */
function selects(selector: string, owner: string): boolean {
  return owner === selector || owner.startsWith(`${selector}/`);
}

/** Pids carrying an owner `selector` selects, and every live descendant of them, never this process. */
export function ownedProcesses(selector: string): number[] {
  const all = liveProcesses();
  const children = new Map<number, number[]>();
  for (const p of all) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const owned = new Set<number>();
  const queue = all.filter((p) => p.owner !== undefined && selects(selector, p.owner)).map((p) => p.pid);
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (owned.has(pid)) continue;
    owned.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  owned.delete(process.pid);
  return [...owned].filter((pid) => pid > 1);
}

/**
 * SIGKILLs every process `selector` owns, scanning again until none is left (a process may fork
 * between a scan and its kill; its child carries the same owner and is found next time).
 * Synchronous, so it can run in a process `exit` hook. Returns how many processes it killed.
 */
export function sweepOwned(selector: string, maxRounds = 10): number {
  if (!canSweep) return 0;
  // Distinct processes: one still exiting after its SIGKILL shows up in the next scan again.
  const killed = new Set<number>();
  for (let round = 0; round < maxRounds; round++) {
    const pids = ownedProcesses(selector);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // Already gone.
      }
    }
  }
  return killed.size;
}
