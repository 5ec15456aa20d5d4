/**
 * Seed event streams for the report fuzz: one small rolling update per verdict, with every event
 * type of src/events/schema.ts (run-start, pod, container, endpoint, rollout, request, load,
 * note, run-end), as `zerodrop lab --events` writes them.
 */
export function seedEventStreams(): string[] {
  return (['pass', 'fail', 'inconclusive'] as const).map((verdict) => {
    const run = `seed-${verdict}`;
    const ev: Array<Record<string, unknown>> = [];
    const at = (t: number, body: Record<string, unknown>) => ev.push({ t, run, ...body });
    at(0, {
      type: 'run-start',
      schema: 1,
      startedAt: '2025-01-01T00:00:00.000Z',
      command: `zerodrop lab ${run}`,
      source: 'lab',
      description: 'a seed run',
      config: { replicas: 2, strategy: 'RollingUpdate', preStop: '5s' },
      audit: [{ rule: 'prestop-missing', severity: 'error', message: 'no preStop', container: 'app' }],
    });
    for (const [i, pod] of ['old-a', 'old-b'].entries()) {
      at(10 + i, { type: 'pod', pod, phase: 'created', revision: 'rev1' });
      at(20 + i, { type: 'container', pod, container: 'app', action: 'start' });
      at(30 + i, { type: 'pod', pod, phase: 'ready', revision: 'rev1' });
      at(31 + i, { type: 'endpoint', pod, consumer: 'proxy', change: 'added', conditions: { ready: true, serving: true, terminating: false } });
    }
    at(100, { type: 'rollout', action: 'start', revision: 'rev2', replicas: 2 });
    at(110, { type: 'pod', pod: 'new-a', phase: 'created', revision: 'rev2' });
    at(150, { type: 'pod', pod: 'new-a', phase: 'ready', revision: 'rev2' });
    at(160, { type: 'pod', pod: 'old-a', phase: 'terminating', revision: 'rev1' });
    at(161, { type: 'container', pod: 'old-a', container: 'app', action: 'prestop-start' });
    at(170, { type: 'endpoint', pod: 'old-a', consumer: 'proxy', change: 'removed', conditions: { ready: false, serving: true, terminating: true } });
    at(200, { type: 'container', pod: 'old-a', container: 'app', action: 'signal', signal: 'SIGTERM' });
    at(260, { type: 'container', pod: 'old-a', container: 'app', action: 'exit', exitCode: 0 });
    at(261, { type: 'pod', pod: 'old-a', phase: 'exited' });
    for (let i = 0; i < 60; i++) {
      const t = 50 + i * 5;
      const failed = verdict === 'fail' && i % 17 === 3;
      at(t + 2, {
        type: 'request',
        intended: t,
        start: t + 0.1,
        end: t + 2,
        pod: i % 2 ? 'old-a' : 'old-b',
        ...(failed ? { error: 'refused', code: 'ECONNREFUSED' } : { status: 200 }),
      });
    }
    at(300, { type: 'load', sent: 60, lagMs: 0.4, inFlight: 1 });
    at(301, { type: 'note', level: 'warn', message: 'a seed note' });
    at(310, { type: 'rollout', action: 'complete', revision: 'rev2' });
    at(320, {
      type: 'run-end',
      verdict,
      reasons: verdict === 'pass' ? [] : ['a reason'],
      requests: 60,
      failures: verdict === 'fail' ? 4 : 0,
      failuresByClass: verdict === 'fail' ? { refused: 4 } : {},
      rollout: { completed: verdict !== 'inconclusive', durationMs: 210 },
    });
    return `${ev.map((e) => JSON.stringify(e)).join('\n')}\n`;
  });
}
