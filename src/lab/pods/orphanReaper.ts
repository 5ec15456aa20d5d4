import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canSweep } from './processSweep.js';

/**
 * The lab's end of the pipe to orphanReaperProcess.js. Writes never block the lab and never
 * fail it: if the reaper is gone, the lab's own teardown still kills groups and sweeps.
 */
export interface OrphanReaper {
  send(line: string): void;
}

/**
 * The compiled reaper beside this module; from the TypeScript sources (under vitest) the built
 * copy in dist/, which `npm test` builds first.
 */
function reaperScript(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'orphanReaperProcess.js'), path.resolve(here, '..', '..', '..', 'dist', 'lab', 'pods', 'orphanReaperProcess.js')];
  return candidates.find((file) => existsSync(file));
}

/** Starts the reaper for `token`, or returns undefined where it cannot run (no /proc, no script). */
export function startOrphanReaper(token: string): OrphanReaper | undefined {
  const script = canSweep ? reaperScript() : undefined;
  if (!script) return undefined;
  let child: ChildProcess;
  try {
    // Detached: a Ctrl-C to the terminal's process group, or `timeout -s KILL` killing the lab's
    // group, must not reach it. No owner mark in its environment, so no sweep ever kills it.
    child = spawn(process.execPath, [script, token], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return undefined;
  }
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  // Neither the process nor the pipe may keep the lab alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    send(line: string): void {
      if (child.stdin?.writable) child.stdin.write(`${line}\n`);
    },
  };
}
