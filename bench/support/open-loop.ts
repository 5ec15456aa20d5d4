/**
 * Open-model load: requests start at a fixed rate whether or not earlier ones have finished, as
 * independent users send them, so a stalled server cannot slow the arrival of new requests and
 * hide drops. Bounded in count and by the caller's stop condition.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface OpenLoopOptions<T> {
  ratePerSecond: number;
  maxRequests: number;
  /** Called before each request with the milliseconds since the start; true stops the loop. */
  stopAt: (elapsedMs: number) => boolean;
  send: (index: number) => Promise<T>;
}

export async function openLoop<T>(o: OpenLoopOptions<T>): Promise<T[]> {
  const inFlight: Promise<T>[] = [];
  const start = performance.now();
  const interval = 1000 / o.ratePerSecond;
  for (let i = 0; i < o.maxRequests; i++) {
    const due = start + i * interval;
    const now = performance.now();
    if (due > now) await sleep(due - now);
    if (o.stopAt(performance.now() - start)) break;
    inFlight.push(o.send(i));
  }
  return Promise.all(inFlight);
}

/** Picks a request duration from a mix of [probability, ms] pairs with a seeded random source. */
export function pickDuration(mix: readonly (readonly [number, number])[], random: () => number): number {
  let r = random();
  return mix.find(([p]) => (r -= p) < 0)?.[1] ?? mix[0]![1];
}
