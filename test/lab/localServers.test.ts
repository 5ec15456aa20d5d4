import { spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_SERVERS, localServerWorkDir } from '../../src/lab/images/localServers.js';
import { freePort } from '../../src/lab/pods/ports.js';
import { planLabRuns } from '../../src/lab/run/plan.js';
import { zerodrop } from '../audit/cli.js';

// Images that need no --run mapping: the official nginx and haproxy images run as Debian's
// binaries with a config of the lab's own. The servers are started here from the very command
// line the lab would run, on a real port, and stopped with the image's stop signal. About 3 s.

const HAVE = { nginx: existsSync(LOCAL_SERVERS.nginx!.binary), haproxy: existsSync(LOCAL_SERVERS.haproxy!.binary) };
for (const [name, present] of Object.entries(HAVE))
  if (!present) console.warn(`\n*** SKIPPING the ${name} image mapping tests: ${LOCAL_SERVERS[name]!.binary} is not installed (apt-get install ${name}) ***\n`);

const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-local-servers-'));

function manifest(image: string, extra = ''): string {
  const file = path.join(tmp, `${image.replace(/[^a-z0-9]/g, '-')}.yaml`);
  writeFileSync(
    file,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n${extra}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n`,
  );
  return file;
}

async function planned(file: string, images?: Record<string, { command: string }>) {
  const { runs } = await planLabRuns({ inputs: [file], overrides: images ? { images } : {}, command: 'test', cwd: tmp });
  return runs[0]!.config!;
}

/** One GET on a fresh connection (`Connection: close`), so no idle keep-alive client holds a stopping server open. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Starts a mapped server on a free port as the lab would, and stops it with `signal` as soon as it has served. */
async function serve(argv: string[], port: number, use: (url: string) => Promise<void>, signal: NodeJS.Signals) {
  const hostPort = await freePort();
  const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, [`PORT_${port}`]: String(hostPort) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${hostPort}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await get(url).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await use(url);
    child.kill(signal);
    // Bounded, so a server that ignores the signal fails this test and is still killed below.
    const stopped = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    expect(stopped, stderr).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the official nginx image without a mapping', () => {
  it.skipIf(!HAVE.nginx)('runs Debian nginx on the Service target port, says so, and stops it with the image STOPSIGNAL', async () => {
    const config = await planned(manifest('nginx:1.27'));
    const web = config.workload.initial.containers[0]!;
    expect(web.stopSignal).toBe('SIGQUIT');
    expect(config.notes).toEqual([
      `image nginx:1.27: runs Debian's nginx (${LOCAL_SERVERS.nginx!.binary}) with a minimal config on port 80, serving static files: an index page at /, 404 elsewhere, like the default site of the image; stop signal SIGQUIT, the official image's STOPSIGNAL; --run nginx=COMMAND overrides`,
    ]);
    await serve(
      web.argv,
      80,
      async (url) => {
        const index = await get(`${url}/`);
        expect(index.status).toBe(200);
        expect(index.body).toContain('Welcome to nginx!');
        expect((await get(`${url}/healthz`)).status).toBe(404);
      },
      'SIGQUIT',
    );
  });

  it.skipIf(!HAVE.nginx)('keeps the tag history of the stop signal (nginx < 1.19.5: SIGTERM) and the declared ports', async () => {
    const config = await planned(manifest('nginx:1.19.4', '          ports: [{containerPort: 8080}, {containerPort: 8443}]\n'));
    expect(config.workload.initial.containers[0]!.stopSignal).toBe('SIGTERM');
    expect(config.notes?.[0]).toContain('minimal config on ports 8080, 8443');
    expect(config.notes?.[0]).toContain("stop signal SIGTERM, the official image's STOPSIGNAL");
  });

  it('--run overrides it: the given command, no note', async () => {
    const config = await planned(manifest('nginx'), { nginx: { command: `${process.execPath} server.mjs` } });
    expect(config.workload.initial.containers[0]!.argv).toEqual([process.execPath, 'server.mjs']);
    expect(config.notes).toBeUndefined();
  });

  it('a missing binary names the package to install, exit 4 before anything starts', () => {
    const r = zerodrop(['lab', manifest('nginx')], { env: { ZERODROP_NGINX: '/nonexistent/nginx' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "zerodrop: error[lab-command-not-found]: container web (image nginx): the lab runs this image with Debian's nginx (/nonexistent/nginx), which is not installed here: apt-get install nginx, or map the image to a command with --run nginx=COMMAND\n",
    );
    expect(r.stdout).toBe('');
  });

  it('an image the lab does not know still asks for a mapping', async () => {
    await expect(planned(manifest('bitnami/nginx:1.27'))).rejects.toThrow(
      /uses image bitnami\/nginx:1\.27, which the lab cannot run: map it .* --run bitnami\/nginx=COMMAND/,
    );
  });
});

describe('the official haproxy image without a mapping', () => {
  it.skipIf(!HAVE.haproxy)('runs Debian haproxy answering on the port and stops it with SIGUSR1 (soft stop)', async () => {
    const config = await planned(manifest('haproxy:2.6'));
    const web = config.workload.initial.containers[0]!;
    expect(web.stopSignal).toBe('SIGUSR1');
    expect(web.argv.slice(0, 2)).toEqual([LOCAL_SERVERS.haproxy!.binary, '-db']);
    expect(config.notes?.[0]).toMatch(/^image haproxy:2\.6: runs Debian's haproxy .* on port 80, serving 200 "ok" on every path/);
    await serve(
      web.argv,
      80,
      async (url) => {
        const r = await get(`${url}/anything`);
        expect(r.status).toBe(200);
        expect(r.body).toBe('ok');
      },
      'SIGUSR1',
    );
  });
});

it('the servers write only into one private directory per lab process', () => {
  expect(localServerWorkDir()).toBe(localServerWorkDir());
  expect(localServerWorkDir().startsWith(tmpdir())).toBe(true);
});
