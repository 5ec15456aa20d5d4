import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/events/stream.js';
import type { ContainerEvent, ZerodropEvent } from '../../src/events/schema.js';
import { LabPod } from '../../src/lab/pods/pod.js';
import type { ContainerPlan, PodPlan } from '../../src/lab/pods/plan.js';
import { runHook } from '../../src/lab/pods/probe.js';
import { labProcesses } from '../../src/lab/pods/processRegistry.js';

// The kubelet truncates the preStop's elapsed time to whole seconds before subtracting it from the
// grace period (docs/reference/pod-termination.md#grace-arithmetic), so the model is only right if
// a `sleep: 1` hook is never measured as 0.999 s. Node arms timers on libuv's millisecond loop
// clock, which lags performance.now() by up to a millisecond: a bare setTimeout(1000) regularly
// runs after 999.x ms as performance.now() measures it, and the kubelet model then read 0 s of
// preStop and granted the whole grace period again after the stop signal.

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'signal-recorder.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-term-clock-'));

afterAll(() => labProcesses.killAll());

/** How long before its instant an early timer is woken, so that a busy machine's late wake-up cannot hide the early firing. */
const WAKE_LEAD_MS = 40;

/**
 * Every timer armed while `body` runs fires `earlyMs` before its delay has passed on
 * performance.now(), as the loop clock's truncation makes real timers do, made certain instead of
 * left to the timer's phase: the real timer wakes well before, then waits for the exact instant.
 */
async function withEarlyTimers<T>(earlyMs: number, body: () => Promise<T>): Promise<T> {
  const real = globalThis.setTimeout;
  const early = ((callback: (...args: unknown[]) => void, delay = 0, ...args: unknown[]) => {
    const due = performance.now() + Math.max(1, delay) - earlyMs;
    return real(
      () => {
        while (performance.now() < due) {
          // the early instant
        }
        callback(...args);
      },
      Math.max(0, Math.floor(delay) - WAKE_LEAD_MS),
    );
  }) as typeof setTimeout;
  globalThis.setTimeout = early;
  try {
    return await body();
  } finally {
    globalThis.setTimeout = real;
  }
}

describe('the kubelet model reads hook time on the clock its timers keep (docs/reference/pod-termination.md#grace-arithmetic)', () => {
  it('preStop sleep 1 s with grace 3 leaves 2 s after the stop signal even when its timers run early', async () => {
    const c: ContainerPlan = {
      name: 'app',
      image: 'fixture',
      argv: [process.execPath, FIXTURE],
      env: { SIGNAL_LOG: path.join(dir, 'app.log') },
      stopSignal: 'SIGTERM',
      ports: [],
      preStop: { sleep: { seconds: 1 } },
    };
    const plan: PodPlan = { revision: 'r1', containers: [c], sidecars: [], graceSeconds: 3, servicePort: 8080 };
    const events = new EventStream('term-clock');
    const seen: ZerodropEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const pod = new LabPod({ name: 'pod-clock', plan, events, onChange: () => {}, kubeletDelayMs: () => 0 });
    await pod.start();
    await new Promise((r) => setTimeout(r, 700));
    const e0 = events.now();
    // Real timers run up to about 1 ms early; 5 ms is more than the few hundred microseconds the
    // lab spends between starting the countdown and arming the hook, so the early end cannot hide.
    await withEarlyTimers(5, () => pod.delete());
    const ev = seen.filter((e): e is ContainerEvent => e.type === 'container').map((e) => ({ ...e, rel: (e.t - e0) / 1000 }));
    const signal = ev.find((e) => e.action === 'signal')!;
    const kill = ev.find((e) => e.action === 'kill')!;
    expect(signal.detail).toBe('SIGKILL in 2 s');
    expect(signal.rel).toBeGreaterThanOrEqual(1);
    expect(kill.rel).toBeGreaterThan(2.8);
    expect(kill.rel).toBeLessThan(3.8);
  });

  it('a sleep hook never ends before its seconds have passed on performance.now(), with real timers', async () => {
    // 100 hooks armed at spread-out phases of the millisecond: a bare timer ends early for a
    // large share of them on this machine.
    const elapsed = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 37) % 300));
        const start = performance.now();
        const outcome = await runHook({ sleep: { seconds: 1 } }, { host: '127.0.0.1', env: {}, resolvePort: () => undefined });
        expect(outcome.ok).toBe(true);
        return performance.now() - start;
      }),
    );
    expect(Math.min(...elapsed)).toBeGreaterThanOrEqual(1000);
  });
});
