import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { FAKE_TOKEN, fixture } from './fakeKubeApi.js';
import { fakeClusters, runCli, startCli, tempDir, waitFor, writeKubeconfig } from './cli.js';

const cluster = fakeClusters();

function baseArgs(kubeconfig: string, url: string, dir: string, extra: string[] = []): string[] {
  return [
    'rollout',
    'deployment/web',
    '--kubeconfig',
    kubeconfig,
    '--url',
    url,
    '--rate',
    '50',
    // The machine is shared and busy; the verdict still needs load in every second.
    '--max-lag-p99',
    '1s',
    '--warmup',
    '1s',
    '--settle',
    '1s',
    '--timeout',
    '20s',
    '--json',
    join(dir, 'result.json'),
    '--events',
    join(dir, 'events.ndjson'),
    ...extra,
  ];
}

const readEvents = (dir: string) =>
  readFileSync(join(dir, 'events.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
const readResult = (dir: string) => (JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { runs: Array<Record<string, any>> }).runs[0]!;

/**
 * A PASS needs the load held in every second. The 2-core machine these tests share runs other
 * engineers' suites (load average above 12), which can stall any process for a few hundred ms
 * and make a correct run inconclusive; one retry absorbs that, while a real drop fails every try.
 */
const PASS_RETRY = { retry: 1 };

const byType = (events: Array<Record<string, any>>, type: string) => events.filter((e) => e.type === type);

describe('zerodrop rollout: verdicts end to end', () => {
  it('passes a graceful restart, patching exactly like kubectl rollout restart', PASS_RETRY, async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful', bookmarkIntervalMs: 200 });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);

    // One write, a strategic-merge patch of the pod template annotation (kubectl objectrestarter.go).
    const patches = fake.patches();
    expect(patches).toHaveLength(1);
    expect(patches[0]!.path).toBe('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(patches[0]!.contentType).toBe('application/strategic-merge-patch+json');
    const annotations = (patches[0]!.body as any).spec.template.metadata.annotations;
    expect(Object.keys(annotations)).toEqual(['kubectl.kubernetes.io/restartedAt']);
    expect(annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);

    const events = readEvents(dir);
    expect(events[0]!.type).toBe('run-start');
    expect(events[0]!.source).toBe('cluster');
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'run-end', verdict: 'pass', failures: 0, rollout: { completed: true } });
    const pods = byType(events, 'pod');
    // Two old pods terminated and deleted, two new pods created and ready (fake plays maxSurge 1, docs/reference/workload-updates.md#deployment-controller).
    const phases = (phase: string) => pods.filter((p) => p.phase === phase).map((p) => p.pod);
    expect(phases('created')).toHaveLength(2);
    expect(phases('ready')).toEqual(phases('created'));
    expect(phases('terminating')).toHaveLength(2);
    expect(phases('deleted')).toEqual(phases('terminating'));
    // EndpointSlice view: new endpoints added ready; old ones removed with terminating conditions (docs/reference/traffic-routing.md#endpointslice-conditions).
    const endpoints = byType(events, 'endpoint');
    expect(endpoints.filter((e) => e.change === 'added').map((e) => e.pod)).toEqual(phases('created'));
    const removed = endpoints.filter((e) => e.change === 'removed');
    expect(removed.map((e) => e.pod)).toEqual(phases('terminating'));
    expect(removed[0]!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    const rollout = byType(events, 'rollout').map((e) => e.action);
    expect(rollout[0]).toBe('start');
    expect(rollout).toContain('complete');
    // Requests were served by both old and new pods (x-zerodrop-pod).
    const servedBy = new Set(byType(events, 'request').map((e) => e.pod));
    for (const p of [...phases('created'), ...phases('terminating')]) expect(servedBy).toContain(p);

    const result = readResult(dir);
    expect(result).toMatchObject({
      name: 'rollout',
      verdict: 'pass',
      failures: 0,
      rollout: { completed: true, deadlineExceeded: false, state: 'complete', evidence: { oldPodsTerminated: 2, newPodsReady: 2 } },
    });
    expect(result.latency.p99).toBeGreaterThan(0);
    expect(result.requests).toBeGreaterThan(100);
    expect(result.watches.pods.bookmarks).toBeGreaterThan(0);
  });

  it('fails when old pods exit while still routed to, and names the pods that dropped requests', async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'abrupt' });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart', '--report', join(dir, 'report.html')]);
    expect(r.stdout, r.stderr).toContain('FAIL');
    expect(r.code).toBe(1);
    const result = readResult(dir);
    expect(result.verdict).toBe('fail');
    expect(result.failures).toBeGreaterThan(0);
    // 502s from the front while the dead pod is still routed to; under heavy machine load some
    // requests may also time out, so only the presence of 5xx is asserted.
    expect(result.failuresByClass['http-5xx']).toBeGreaterThan(0);
    const events = readEvents(dir);
    const terminated = new Set(
      byType(events, 'pod')
        .filter((p) => p.phase === 'terminating')
        .map((p) => p.pod),
    );
    const failedPods = new Set(
      byType(events, 'request')
        .filter((e) => e.error && e.pod)
        .map((e) => e.pod),
    );
    expect(failedPods.size).toBeGreaterThan(0);
    for (const p of failedPods) expect(terminated).toContain(p);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', verdict: 'fail' });
    // The HTML report is the lab's page, with the cluster's pod lanes.
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    for (const p of terminated) expect(html).toContain(p);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('is inconclusive when the progress deadline passes (Progressing=False, ProgressDeadlineExceeded, docs/reference/workload-updates.md#deployment-controller)', async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'stuck' });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('INCONCLUSIVE');
    const result = readResult(dir);
    expect(result.rollout).toMatchObject({ completed: false, deadlineExceeded: true, state: 'deadline-exceeded' });
    expect(result.reasons.join(' ')).toContain('progress deadline');
    expect(byType(readEvents(dir), 'rollout').map((e) => e.action)).toContain('deadline-exceeded');
  });

  it('re-lists after 410 Gone and still sees every pod transition', PASS_RETRY, async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful', expirePodWatchOnPatch: true });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(0);
    const result = readResult(dir);
    expect(result.watches.pods.gone).toBeGreaterThanOrEqual(1);
    expect(result.watches.pods.lists).toBeGreaterThanOrEqual(2);
    expect(fake.count('GET', '/api/v1/namespaces/shop/pods', false)).toBeGreaterThanOrEqual(2);
    const pods = byType(readEvents(dir), 'pod');
    expect(pods.filter((p) => p.phase === 'created')).toHaveLength(2);
    expect(pods.filter((p) => p.phase === 'deleted')).toHaveLength(2);
  });

  it('changes one container image with the patch kubectl set image sends', PASS_RETRY, async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful' });
    // Also the fresh-connection client mode (one TCP connection per request).
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--image', 'app=ghcr.io/example/web:1.1.0', '--connection', 'fresh', '-n', 'shop']);
    expect(r.code).toBe(0);
    expect(readEvents(dir)[0]!.config).toMatchObject({ connection: 'fresh', namespace: 'shop', action: 'image app=ghcr.io/example/web:1.1.0' });
    // kubectl set image's two-way strategic-merge patch, byte for byte (recorded from kubectl v1.32.4).
    expect(fake.patches().map((p) => [p.raw, p.query])).toEqual([
      [
        '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"image":"ghcr.io/example/web:1.1.0","name":"app"}]}}}}',
        { fieldManager: 'zerodrop' },
      ],
    ]);
  });
});

describe('zerodrop rollout: the last old pods', () => {
  it('keeps the load on until the last old pod has exited, so drops at its exit fail the run, though kubectl already said "rolled out"', async () => {
    // A load balancer keeps routing to terminating pods; each dies 3 s after its deletionTimestamp.
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'late-exit', terminationMs: 3000, terminatingReplicas: true });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.stdout, r.stderr).toContain('FAIL');
    expect(r.code).toBe(1);
    const events = readEvents(dir);
    const complete = byType(events, 'rollout').find((e) => e.action === 'complete')!;
    const failed = byType(events, 'request').filter((e) => e.error);
    // The drops come well after completion plus the 1 s settle that used to end the run.
    expect(failed.length).toBeGreaterThan(0);
    expect(Math.max(...failed.map((e) => e.t))).toBeGreaterThan(complete.t + 1500);
    const notes = byType(events, 'note').map((e) => e.message);
    expect(notes.some((m) => /^the rollout is complete, but pods web-6d4cf56db6-p\d, web-6d4cf56db6-p\d are still terminating/.test(m))).toBe(true);
    expect(notes.some((m) => m.startsWith('every terminating pod is gone'))).toBe(true);
    expect(readResult(dir).rollout.evidence).toMatchObject({ oldPodsTerminated: 2, oldPodsGone: 2 });
  });

  it('is inconclusive when old pods are still terminating when the run has to stop', async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful', terminationMs: 60_000 });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir).map((a) => (a === '20s' ? '4s' : a)), '--restart']);
    expect(r.code).toBe(3);
    const result = readResult(dir);
    expect(result.rollout).toMatchObject({ completed: true, state: 'complete', evidence: { oldPodsTerminated: 2, oldPodsGone: 0 } });
    expect(result.reasons).toContainEqual(
      expect.stringMatching(
        /^pods web-6d4cf56db6-p1, web-6d4cf56db6-p2 are still terminating when the run had to stop: their exit, where late drops happen, was not observed$/,
      ),
    );
  });
});

/** Someone else's `kubectl rollout restart`: the same PATCH, sent straight to the fake. */
function patchAsSomeoneElse(apiUrl: string): Promise<number> {
  const body = JSON.stringify({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T00:00:00Z' } } } } });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${apiUrl}/apis/apps/v1/namespaces/shop/deployments/web`,
      { method: 'PATCH', headers: { authorization: `Bearer ${FAKE_TOKEN}`, 'content-type': 'application/strategic-merge-patch+json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('zerodrop rollout: watching and interrupting', () => {
  it('--watch-only changes nothing itself and judges the rollout someone else starts, not an HPA scale before it', PASS_RETRY, async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful' });
    const run = startCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--watch-only']);
    await waitFor(() => fake.count('GET', '/api/v1/namespaces/shop/pods', true) > 0);
    await new Promise((r) => setTimeout(r, 1000));
    // An HPA scales first: the generation moves, but no pod is replaced; that is not the rollout.
    fake.scaleTo(3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.patches()).toHaveLength(0);
    expect(await patchAsSomeoneElse(fake.url)).toBe(200);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(fake.patches()).toHaveLength(1); // only ours from the test
    const result = readResult(dir);
    expect(result).toMatchObject({ verdict: 'pass', rollout: { completed: true, evidence: { oldPodsTerminated: 3, oldPodsGone: 3, newPodsReady: 3 } } });
    const starts = byType(readEvents(dir), 'rollout').filter((e) => e.action === 'start');
    expect(starts).toHaveLength(1);
    const start = starts[0]!;
    expect(start.detail).toBe('pod template changed by someone else (generation 3)');
    // Duration counts from when the rollout was seen, not from when zerodrop began waiting.
    expect(Math.abs(result.rollout.triggeredAtMs - start.t)).toBeLessThan(5);
    expect(result.rollout.durationMs).toBe(Math.round(result.rollout.finishedAtMs - result.rollout.triggeredAtMs));
  });

  it('--watch-only with no rollout is inconclusive; the state when watching began follows run-start', async () => {
    const { fake, dir, kubeconfig } = await cluster({ initialNotReady: true });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir).map((a) => (a === '20s' ? '1s' : a)), '--watch-only']);
    expect(r.code).toBe(3);
    const events = readEvents(dir);
    expect(events[0]!.type).toBe('run-start');
    expect(byType(events, 'pod')[0]).toMatchObject({ pod: 'web-6d4cf56db6-p2', phase: 'not-ready', detail: 'not ready when watching began' });
    expect(readResult(dir).rollout.state).toBe('timeout');
    expect(fake.patches()).toHaveLength(0);
  });

  it('Ctrl-C mid-rollout stops load and watches, exits 130, and changes nothing back', async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful', stepMs: 1000 });
    const run = startCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    await waitFor(() => fake.patches().length === 1);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(run.child.pid!, 'SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('zerodrop rolls nothing back');
    expect(fake.patches()).toHaveLength(1);
    const result = readResult(dir);
    expect(result).toMatchObject({ interrupted: true, verdict: 'inconclusive', rollout: { state: 'interrupted' } });
    expect(readEvents(dir).at(-1)).toMatchObject({ type: 'run-end', verdict: 'inconclusive' });
  });
});

describe('zerodrop rollout: nothing changes unless everything is in place', () => {
  it('--dry-run prints the plan and sends no PATCH', async () => {
    const { fake, dir, kubeconfig } = await cluster();
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: nothing was changed');
    expect(r.stdout).toContain('kubectl.kubernetes.io/restartedAt');
    expect(r.stdout).toContain('Services web');
    expect(r.stdout).toContain('permissions are in place');
    expect(fake.patches()).toHaveLength(0);
    expect(fake.requests.every((q) => q.method === 'GET' || q.path.endsWith('/selfsubjectaccessreviews'))).toBe(true);
  });

  it('403 on the patch: exit 4, names the verb and resource, sends no PATCH', async () => {
    const { fake, dir, kubeconfig } = await cluster({ forbid: [{ verb: 'patch', resource: 'deployments' }] });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot patch deployments.apps "web" in namespace "shop"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fake.patches()).toHaveLength(0);
  });

  it('--dry-run finds a missing watch permission', async () => {
    const { fake, dir, kubeconfig } = await cluster({ forbid: [{ verb: 'watch', resource: 'endpointslices' }] });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart', '--dry-run']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot watch endpointslices.discovery.k8s.io in namespace "shop"');
    expect(fake.patches()).toHaveLength(0);
  });

  it('403 on watching pods: exit 4, names watch pods, sends no PATCH', async () => {
    const { fake, dir, kubeconfig } = await cluster({ forbid: [{ verb: 'watch', resource: 'pods' }] });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot watch pods in namespace "shop"');
    expect(r.stderr).toContain('is forbidden: User');
    expect(fake.patches()).toHaveLength(0);
  });

  it('unknown Deployment: exit 2 with the name and namespace', async () => {
    const { fake, dir, kubeconfig } = await cluster();
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir).map((a) => (a === 'deployment/web' ? 'deployment/nope' : a)), '--restart']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deployment/nope not found in namespace "shop"');
    expect(fake.patches()).toHaveLength(0);
  });

  it('unreachable cluster: exit 4 naming the server', async () => {
    const dir = tempDir();
    const kubeconfig = writeKubeconfig(dir, 'http://127.0.0.1:9');
    const r = await runCli([...baseArgs(kubeconfig, 'http://127.0.0.1:9/', dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot reach the Kubernetes API at http://127.0.0.1:9');
    expect(r.stderr).toContain('ECONNREFUSED');
  });

  it('URL not answering: exit 4, nothing changed', async () => {
    const { fake, dir, kubeconfig } = await cluster();
    const r = await runCli([...baseArgs(kubeconfig, 'http://127.0.0.1:9/', dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('does not answer (ECONNREFUSED)');
    expect(r.stderr).toContain('nothing was changed');
    expect(fake.patches()).toHaveLength(0);
  });

  it('a PATCH a webhook denies (422): exit 4 as a policy refusal with its message, and the events file is closed', async () => {
    const { fake, dir, kubeconfig } = await cluster({ rejectPatch: 422 });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      'error[cluster-admission-denied]: the API server refused to patch deployments.apps "web" in namespace "shop": admission webhook "policy.example.com" denied the request: deployments.apps "web" must not change on Fridays. This is a policy',
    );
    const events = readEvents(dir);
    expect(byType(events, 'rollout')).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', verdict: 'inconclusive', rollout: { completed: false } });
  });

  it("a 403 from a policy engine on the PATCH, after RBAC said yes, is the policy's refusal with its message, not missing RBAC", async () => {
    const denial = fixture<{ code: number; reason: string; message: string }>('status-403-webhook-denied.json');
    const message = denial.message;
    const { fake, dir, kubeconfig } = await cluster({ rejectPatch: denial });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      `error[cluster-admission-denied]: the API server refused to patch deployments.apps "web" in namespace "shop": ${message}. This is a policy (an admission webhook or ValidatingAdmissionPolicy), not missing RBAC`,
    );
    expect(r.stderr).not.toContain('grant the verb');
  });

  it('an existing --report file is refused before anything starts', async () => {
    const { fake, dir, kubeconfig } = await cluster();
    writeFileSync(join(dir, 'old.html'), 'keep me');
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart', '--report', join(dir, 'old.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
    expect(fake.requests).toHaveLength(0);
    expect(readFileSync(join(dir, 'old.html'), 'utf8')).toBe('keep me');
  });

  it('wrong credentials: exit 4 (401)', async () => {
    const { fake, dir } = await cluster();
    const kubeconfig = writeKubeconfig(dir, fake.url, { token: 'expired' });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('rejected our credentials (401)');
  });

  it.each([
    [['--restart', '--watch-only'], 'choose one of'],
    [[], 'say what starts the rollout'],
    [['--image', 'nocontainer'], 'CONTAINER=IMAGE'],
    [['--image', 'sidecar=x:1'], 'has no container "sidecar"'],
    [['--image', 'app=ghcr.io/example/web:1.0.0'], 'already runs'],
    [['--restart', '--context', 'elsewhere'], '--context elsewhere is not in the kubeconfig'],
  ])('usage error %j: exit 2, no PATCH', async (flags, message) => {
    const { fake, dir, kubeconfig } = await cluster();
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), ...flags]);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(fake.patches()).toHaveLength(0);
  });
});
