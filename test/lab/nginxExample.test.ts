import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NGINX_BINARY, nginxAvailable } from '../../src/lab/proxy/index.js';

// examples/nginx/run-nginx.sh execs nginx, so no shell is left to remove the pod's prefix when it
// stops; each start removes the prefixes of earlier pods instead. Neither nginx's pid file (gone
// once nginx stops, and `1` for every master inside a PID namespace) nor a prefix's age alone can
// tell a dead pod from a live one; the test runs the script with real nginx against both kinds.

const SCRIPT = path.resolve(import.meta.dirname, '..', '..', 'examples', 'nginx', 'run-nginx.sh');
const HAVE_NGINX = nginxAvailable();
if (!HAVE_NGINX) console.warn(`\n*** SKIPPING the examples/nginx prefix test: ${NGINX_BINARY} is not installed (node scripts/ensure-system-deps.mjs) ***\n`);

const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-nginx-example-'));
// nginx's workers run as nobody when the master is root: they must reach the prefixes.
chmodSync(tmp, 0o755);
const pods: ChildProcess[] = [];

afterAll(() => {
  for (const pod of pods) {
    try {
      if (pod.pid) process.kill(-pod.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

const prefixes = (): string[] => readdirSync(tmp).filter((name) => name.startsWith('zerodrop-nginx-pod.'));

/** A prefix as an earlier pod left it, last changed `ageSeconds` ago. */
function leftBehind(suffix: string, ageSeconds: number, pidFile?: string): string {
  const dir = path.join(tmp, `zerodrop-nginx-pod.${suffix}`);
  mkdirSync(path.join(dir, 'html'), { recursive: true });
  writeFileSync(path.join(dir, 'nginx.conf'), 'daemon off;\n');
  if (pidFile !== undefined) writeFileSync(path.join(dir, 'nginx.pid'), pidFile);
  backdate(dir, ageSeconds);
  return path.basename(dir);
}

function backdate(dir: string, ageSeconds: number): void {
  const then = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(dir, then, then);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the script as a pod would and resolves with its prefix once nginx serves. */
async function startPod(name: string): Promise<string> {
  const before = new Set(prefixes());
  const port = await freePort();
  const pod = spawn('/bin/sh', [SCRIPT], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmp, PORT: String(port), POD_NAME: name },
    detached: true,
    stdio: 'ignore',
  });
  pods.push(pod);
  const until = Date.now() + 15_000;
  for (;;) {
    const served = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.headers.get('x-zerodrop-pod') === name,
      () => false,
    );
    if (served) break;
    if (Date.now() > until || pod.exitCode !== null) throw new Error(`nginx of pod ${name} did not serve on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const created = prefixes().filter((p) => !before.has(p));
  expect(created).toHaveLength(1);
  return created[0]!;
}

describe.skipIf(!HAVE_NGINX)('examples/nginx/run-nginx.sh', () => {
  it("removes earlier pods' prefixes only when no nginx runs from them and they are over a minute old", async () => {
    const stale = leftBehind('stale1', 120);
    const staleInNamespace = leftBehind('stale2', 120, '1\n');
    const starting = leftBehind('start1', 5);
    const running = await startPod('first');
    // Old enough to be removed if the script mistook it for a dead pod's.
    backdate(path.join(tmp, running), 120);
    const second = await startPod('second');
    const left = prefixes();
    expect(left).not.toContain(stale);
    expect(left).not.toContain(staleInNamespace);
    expect(left).toContain(starting);
    expect(left).toContain(running);
    expect(left).toContain(second);
    expect(existsSync(path.join(tmp, running, 'nginx.conf'))).toBe(true);
  }, 40_000);
});
