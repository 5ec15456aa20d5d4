import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../src/events/schema.js';
import { EventStream } from '../../src/events/stream.js';
import { LabPod } from '../../src/lab/pods/pod.js';
import type { ContainerPlan } from '../../src/lab/pods/plan.js';
import { labProcesses } from '../../src/lab/pods/processRegistry.js';

// A pod whose process cannot serve says why, from the process's own output: the reason reaches
// the `exit` event and the diagnostics the lab prints when it gives up.

let held: Server;
let heldPort = 0;
beforeAll(async () => {
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  heldPort = (held.address() as { port: number }).port;
});
afterAll(() => {
  labProcesses.killAll();
  held.close();
});

const node = (name: string, script: string): ContainerPlan => ({
  name,
  image: 'fixture',
  argv: [process.execPath, '-e', script],
  env: { HELD_PORT: String(heldPort) },
  stopSignal: 'SIGTERM',
  ports: [],
});

/** Starts a one-container pod and returns its container events once `until` is seen (or `waitMs` passed). */
async function runPod(c: ContainerPlan, until: (e: ContainerEvent) => boolean, waitMs = 5000, pidNamespace?: boolean) {
  const events = new EventStream('crash');
  const seen: ContainerEvent[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  events.subscribe((e) => {
    if (e.type !== 'container') return;
    seen.push(e);
    if (until(e)) done();
  });
  const pod = new LabPod({
    name: `pod-${c.name}`,
    plan: { revision: 'r1', containers: [c], sidecars: [], graceSeconds: 1, servicePort: 8080, ...(pidNamespace !== undefined ? { pidNamespace } : {}) },
    events,
    onChange: () => {},
  });
  await pod.start();
  await Promise.race([finished, new Promise((r) => setTimeout(r, waitMs))]);
  const diagnostics = pod.diagnostics();
  pod.forceKill();
  return { seen, diagnostics };
}

describe('a pod that cannot serve says why', () => {
  it('a process that fails to bind its port: the exit event carries its error line, exit code and last stderr lines', async () => {
    const c = node('app', 'console.log("starting"); require("http").createServer().listen(Number(process.env.HELD_PORT), "127.0.0.1")');
    const { seen, diagnostics } = await runPod(c, (e) => e.action === 'exit');
    const exit = seen.find((e) => e.action === 'exit')!;
    expect(exit.exitCode).toBe(1);
    expect(exit.detail).toBe(`Error: listen EADDRINUSE: address already in use 127.0.0.1:${heldPort}`);
    expect(exit.stderr).toContain(`Error: listen EADDRINUSE: address already in use 127.0.0.1:${heldPort}`);
    expect(exit.stderr!.length).toBeLessThanOrEqual(20);
    expect(diagnostics).toEqual([
      `pod-app/app: exited (exit code 1); crashed 1× (last: exit code 1: Error: listen EADDRINUSE: address already in use 127.0.0.1:${heldPort})`,
    ]);
  });

  it('a process killed by a signal at start: the signal is the reason', async () => {
    // Not as PID 1 of a namespace: the kernel drops a signal a namespace's init sends itself.
    const { seen, diagnostics } = await runPod(node('killed', 'process.kill(process.pid, "SIGKILL")'), (e) => e.action === 'exit', 5000, false);
    expect(seen.find((e) => e.action === 'exit')).toMatchObject({ signal: 'SIGKILL', exitCode: 137 });
    expect(diagnostics[0]).toMatch(/crashed 1× \(last: killed by SIGKILL\)$/);
  });

  it('a process that runs but listens elsewhere: the diagnostics name the port it should listen on', async () => {
    const c = node('elsewhere', 'require("http").createServer().listen(0, "127.0.0.1"); setTimeout(() => {}, 60_000)');
    // The lab's own connect attempts run every 50 ms: a second without one succeeding is telling.
    const { diagnostics } = await runPod(c, () => false, 1000);
    expect(diagnostics[0]).toMatch(/^pod-elsewhere\/elsewhere: running and ready, not accepting connections on its port \d+ \(\$PORT\)$/);
  });
});
