/**
 * The orphan reaper: a small process the lab starts once, detached in its own session, with a
 * pipe from the lab on its stdin. It sweeps off the lab's event loop (a /proc scan takes
 * milliseconds the load generator should not lose), and it outlives the lab: when the lab dies
 * in any way, SIGKILL and the OOM killer included, the kernel closes the pipe, and the reaper
 * kills every process group the lab still had and every process carrying the lab's owner mark.
 *
 * Lines on stdin: `+PGID` a group started, `-PGID` it ended, `sweep OWNER` a container instance
 * ended (kill what it left behind). Usage: node orphanReaperProcess.js TOKEN
 */
import { sweepOwned } from './processSweep.js';

const token = process.argv[2];
if (!token) process.exit(2);

const groups = new Set<number>();
let pending = '';

function handle(line: string): void {
  if (line.startsWith('+')) groups.add(Number(line.slice(1)));
  else if (line.startsWith('-')) groups.delete(Number(line.slice(1)));
  else if (line.startsWith('sweep ')) {
    const owner = line.slice('sweep '.length);
    // Only this lab's containers: a stray line can never widen the sweep past the token.
    if (owner.startsWith(`${token}/`)) sweepOwned(owner);
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) handle(line);
});
// The lab is gone (or closed the pipe on its way out): nothing it started may stay.
const lastSweep = (): void => {
  for (const pgid of groups) {
    try {
      if (pgid > 1) process.kill(-pgid, 'SIGKILL');
    } catch {
      // The group is gone.
    }
  }
  sweepOwned(token);
  process.exit(0);
};
process.stdin.on('end', lastSweep);
process.stdin.on('error', lastSweep);
