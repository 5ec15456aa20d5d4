import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EventStream } from '../../events/stream.js';
import type { ZerodropEvent } from '../../events/schema.js';
import { startLoad } from '../../load/generator.js';
import { proxyTestHarness } from './fixtures/proxyHarness.js';
import { nginxAvailable } from './nginx-ingress.js';

const hasNginx = nginxAvailable();
if (!hasNginx) console.warn('SKIPPING nginx ingress tests: /usr/sbin/nginx is not installed (apt-get install nginx)');

const { backend, proxy } = proxyTestHarness();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pods(url: string): Promise<Record<string, number>> {
  const r = await startLoad({ url, rate: 100, durationMs: 200 }).done;
  const count: Record<string, number> = {};
  for (const x of r.records) {
    const key = x.error ? `${x.error}:${x.status ?? ''}` : (x.pod ?? '?');
    count[key] = (count[key] ?? 0) + 1;
  }
  return count;
}

describe.skipIf(!hasNginx)('real nginx as the ingress', () => {
  it('starts, proxies with the pod header, reloads on endpoint changes, and stops without leftovers', async () => {
    const [a, b] = [await backend('a'), await backend('b')];
    const events = new EventStream('t');
    const seen: ZerodropEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const ingress = await proxy({ mode: 'nginx', endpoints: [a.endpoint], events });
    expect(await pods(ingress.url)).toEqual({ a: 20 });

    await ingress.setEndpoints([a.endpoint, b.endpoint]);
    expect(await pods(ingress.url)).toEqual({ a: 10, b: 10 });

    await ingress.setEndpoints([b.endpoint]);
    expect(await pods(ingress.url)).toEqual({ b: 20 });

    await ingress.setEndpoints([]);
    expect(await pods(ingress.url)).toEqual({ 'http-5xx:503': 20 });

    expect(seen.filter((e) => e.type === 'endpoint').map((e) => (e.type === 'endpoint' ? `${e.consumer} ${e.change} ${e.pod}` : ''))).toEqual([
      'nginx added a',
      'nginx added b',
      'nginx removed a',
      'nginx removed b',
    ]);

    const { pid, prefix } = ingress;
    expect(alive(pid)).toBe(true);
    await ingress.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(prefix)).toBe(false);
  });

  it('fails with a clear error when the port is taken, leaving nothing behind', async () => {
    const a = await backend('a');
    await expect(proxy({ mode: 'nginx', port: a.port, readyTimeoutMs: 2000 })).rejects.toThrow(/nginx did not start/);
  });

  it('leaves no nginx behind when the process that started it is SIGKILLed', async () => {
    // Child processes run compiled JS (npm test builds first).
    const dist = fileURLToPath(new URL('../../../dist/lab/proxy/index.js', import.meta.url));
    expect(existsSync(dist), `${dist} missing: run npm run build`).toBe(true);
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(dist)}); const n = await m.startNginxIngress({}); console.log(n.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(createInterface({ input: owner.stdout! }), 'line')) as [string];
    const pid = Number(line);
    expect(alive(pid)).toBe(true);
    owner.kill('SIGKILL'); // no handler, no exit hook: only the watchdog can act
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});
