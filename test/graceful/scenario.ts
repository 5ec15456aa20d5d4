/**
 * The drain scenario every server kind must pass: keep-alive loops run through an endpoint
 * switch, SIGTERM arrives mid-stream with a slow request and a streaming response in flight, the
 * switch "propagates" before the drain delay ends (docs/reference/traffic-routing.md#kube-proxy, docs/reference/traffic-routing.md#propagation-latency).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Endpoints, failures, nodeClient, runLoops, startBackendB, startServer, undiciClient, type Exit, type Outcome, type PhaseLine } from './harness.js';

export interface ScenarioOptions {
  framework: string;
  secure: boolean;
  client: 'node' | 'undici';
  thinkMs: [number, number];
  drainDelayMs?: number;
  /** More graceful() options, e.g. the adaptive drain. */
  options?: Record<string, unknown>;
}

export interface ScenarioResult {
  failed: Outcome[];
  total: number;
  fromA: number;
  fromB: number;
  closeHeadersFromA: number;
  slow: Outcome;
  stream: Outcome;
  exit: Exit;
  signalAt: number;
  phases: PhaseLine[];
  stderr: string;
}

export const SLOW_MS = 600;
export const STREAM = { chunks: 6, every: 100 };
export const expectedStreamBody = `${Array.from({ length: STREAM.chunks }, (_, i) => `chunk${i};`).join('')}end`;

export async function drainScenario(s: ScenarioOptions): Promise<ScenarioResult> {
  const drainDelayMs = s.drainDelayMs ?? 400;
  const a = await startServer({ framework: s.framework, options: { drainDelayMs, timeoutMs: 8_000, ...s.options } });
  const b = await startBackendB(s.secure);
  const endpoints = new Endpoints(a.port);
  const make = s.client === 'node' ? nodeClient : undiciClient;
  const client = make(endpoints, s.secure, 6);
  const sideClient = make(endpoints, s.secure, 4);
  let stopped = false;
  try {
    const loops = runLoops({
      client,
      loops: 6,
      thinkMs: s.thinkMs,
      path: () => `/work?ms=${Math.random() < 0.9 ? 2 : 30}`,
      stop: () => stopped,
      maxRequests: 20_000,
    });
    await sleep(200);
    const signalAt = a.signal('SIGTERM');
    await sleep(100);
    const slowP = sideClient.get(`/work?ms=${SLOW_MS}`);
    const streamP = sideClient.get(`/stream?chunks=${STREAM.chunks}&every=${STREAM.every}`);
    await sleep(100);
    endpoints.current = b.port; // endpoint removal reached the "proxy" before the drain delay ended
    const exit = await Promise.race([a.exited, sleep(12_000).then(() => ({ code: null, signal: null, at: performance.now() }) as Exit)]);
    await sleep(200);
    stopped = true;
    const outcomes = await loops;
    const [slow, stream] = await Promise.all([slowP, streamP]);
    const fromA = outcomes.filter((o) => o.body?.startsWith('ok:'));
    return {
      failed: failures(outcomes),
      total: outcomes.length,
      fromA: fromA.length,
      fromB: outcomes.filter((o) => o.body === 'B').length,
      closeHeadersFromA: fromA.filter((o) => o.connectionClose).length,
      slow,
      stream,
      exit,
      signalAt,
      phases: a.phases,
      stderr: a.stderr(),
    };
  } finally {
    stopped = true;
    a.kill();
    await client.close();
    await sideClient.close();
    await b.close();
  }
}
