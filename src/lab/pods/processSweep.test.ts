import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { OWNER_ENV, canSweep, ownedProcesses, sweepOwned } from './processSweep.js';

// The owner-mark sweep against real processes: which ones a selector owns, and that a sweep
// leaves none of them running. Each test uses a token of its own, so nothing else can match.

const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** A process that idles with `owner` in its environment; with `child`, it starts one that has none. */
function idle(owner: string, child = false): Promise<number> {
  const script = child
    ? `require("child_process").spawn("env", ["-i", process.execPath, "-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); setInterval(() => {}, 1000)`
    : 'setInterval(() => {}, 1000)';
  const p = spawn(process.execPath, ['-e', script], { env: { ...process.env, [OWNER_ENV]: owner }, stdio: 'ignore' });
  started.push(p.pid!);
  return new Promise((resolve) => p.once('spawn', () => resolve(p.pid!)));
}

function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(done: () => boolean): Promise<void> {
  const stop = Date.now() + 5000;
  while (!done() && Date.now() < stop) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(!canSweep)('the owner-mark sweep', () => {
  it('an instance selects only itself (token/1 is not token/10); the token selects every instance', async () => {
    const token = `test-${randomBytes(4).toString('hex')}`;
    const one = await idle(`${token}/1`);
    const ten = await idle(`${token}/10`);
    // The environment is readable once exec has replaced the fork.
    await until(() => ownedProcesses(token).length === 2);
    expect(ownedProcesses(`${token}/1`)).toEqual([one]);
    expect(ownedProcesses(token).sort()).toEqual([one, ten].sort());
    expect(sweepOwned(`${token}/1`)).toBe(1);
    await until(() => !running(one));
    expect([running(one), running(ten)]).toEqual([false, true]);
    expect(sweepOwned(token)).toBe(1);
    await until(() => !running(ten));
    expect(running(ten)).toBe(false);
    expect(ownedProcesses(token)).toEqual([]);
  });

  it('a child that cleared its environment is still owned while its marked parent lives', async () => {
    const token = `test-${randomBytes(4).toString('hex')}`;
    const parent = await idle(`${token}/1`, true);
    await until(() => ownedProcesses(token).length === 2);
    const owned = ownedProcesses(token);
    expect(owned).toContain(parent);
    const child = owned.find((pid) => pid !== parent)!;
    expect(readFileSync(`/proc/${child}/environ`, 'utf8')).not.toContain(OWNER_ENV);
    expect(sweepOwned(token)).toBe(2);
    await until(() => !running(child));
    expect(running(child)).toBe(false);
  });
});
