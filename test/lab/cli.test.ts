import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveProcessesWith } from './support/processes.js';

// The lab's CLI contract: one clear error before anything starts, and no orphan process
// after success, failure, Ctrl-C or SIGTERM. Runs the compiled CLI (`npm run build` first).

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const DEMO = path.join(ROOT, 'examples', 'demo-app', 'server.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-lab-cli-'));

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'lab', ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** Like runCli, without blocking this process's event loop (a test server must keep serving). */
function runCliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'lab', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 40_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('zerodrop lab: input errors come before anything starts', () => {
  it('lists the bundled scenarios', () => {
    const r = runCli(['--list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('talk');
    expect(r.stdout).toContain('baseline');
  });

  it('an unmapped image is one clear error with exit code 2', () => {
    const manifest = path.join(tmp, 'unmapped.yaml');
    writeFileSync(
      manifest,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: example/unknown:1\n',
    );
    const r = runCli([manifest]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unmapped\.yaml:1: .*example\/unknown:1.*--run example\/unknown=COMMAND/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('a YAML error names file and line', () => {
    const manifest = path.join(tmp, 'broken.yaml');
    writeFileSync(manifest, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: [1\n');
    const r = runCli([manifest]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+/);
  });

  it.each([
    ['empty', '""', /container app \(image crasher\): the command the lab runs for this image is empty; map the image .* --run crasher=COMMAND/],
    [
      'missing',
      '/nonexistent/zerodrop-server --port 80',
      /container app \(image crasher\): \/nonexistent\/zerodrop-server is not an executable file .*; install it, or map/,
    ],
    ['not on PATH', 'zerodrop-no-such-program', /zerodrop-no-such-program is not an executable file on PATH/],
  ])('an %s container command is an environment error (exit 4) before any pod starts', (_kind, command, message) => {
    const manifest = path.join(tmp, 'command.yaml');
    writeFileSync(
      manifest,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cmd}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: crasher\n',
    );
    const r = runCli([manifest, '--no-progress', '--run', `crasher=${command}`]);
    expect(r.status, r.stdout + r.stderr).toBe(4);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('an unknown scenario is a usage error', () => {
    const r = runCli(['--scenario', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown scenario');
  });

  it.each([
    ['--upstream-keepalive', '43200m'],
    ['--propagation', '1s..2592000s'],
  ])('%s %s (30 days, past what a Node.js timer holds) is refused instead of firing at once', (flag, value) => {
    const r = runCli(['--runs', 'baseline', '--quick', flag, value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^zerodrop: error\[bad-duration\]: --\S+ \S+ is longer than a timer can wait \(at most 2147483647 ms, about 24\.8 days\); choose a shorter duration\n$/,
    );
    expect(r.stdout).toBe('');
  });
});

/** A one-replica Deployment of the demo app, the shortest real rollout the lab can run. */
function oneReplica(name: string, marker: string, extra = ''): string {
  const manifest = path.join(tmp, `${name}.yaml`);
  writeFileSync(
    manifest,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: demo\n          args: [${marker}]\n`,
  );
  const lab = path.join(tmp, `${name}.lab.yaml`);
  writeFileSync(lab, `manifests: [${name}.yaml]\nimages:\n  demo: ${process.execPath} ${DEMO}\n${extra}`);
  return lab;
}

describe('zerodrop lab: no false PASS', () => {
  it('--rate 0.01 (one request) is inconclusive, exit 3, and says how many requests a pass needs', () => {
    const marker = `zerodrop-rate-test-${process.pid}`;
    const json = path.join(tmp, 'rate.json');
    const r = runCli([oneReplica('rate', marker), '--quick', '--no-progress', '--rate', '0.01', '--json', json]);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(/INCONCLUSIVE 0 of 1 requests failed/);
    expect(r.stdout).toMatch(/only 1 request was sent, too few to prove zero drops: a pass needs at least 100 requests/);
    const run = JSON.parse(readFileSync(json, 'utf8')).runs[0];
    expect(run).toMatchObject({ verdict: 'inconclusive', requests: 1, failures: 0 });
    expect(run.reasons.join('\n')).toMatch(/at least 100 requests/);
    expect(liveProcessesWith(marker)).toEqual([]);
  });
});

describe('zerodrop lab: no orphans', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to the lab mid-run kills every pod it started and exits 130', async (signal) => {
    const marker = `zerodrop-orphan-test-${signal}-${process.pid}`;
    const child = spawn(
      process.execPath,
      [CLI, 'lab', '--runs', 'probes-prestop', '--quick', '--run', `zerodrop/demo-app=${process.execPath} ${DEMO} ${marker}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Wait until the pods run.
    const started = Date.now();
    while (liveProcessesWith(marker).length < 4 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
    expect(liveProcessesWith(marker).length).toBeGreaterThanOrEqual(4);
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, output).toBe(130);
    // Give init a moment to reap what the lab SIGKILLed.
    await new Promise((r) => setTimeout(r, 300));
    expect(liveProcessesWith(marker)).toEqual([]);
  });
});

describe('zerodrop lab: a second signal forces the exit', () => {
  it('SIGINT while the first one is still stopping the run: exit 130 at once, no pod left, no output file half-written', async () => {
    const marker = `zerodrop-force-test-${process.pid}`;
    // Every request takes 20 s, so the clean stop (which waits for requests in flight) is slow.
    const lab = oneReplica('force', marker, 'path: /slow?ms=20000\ntimeout: 25s\n');
    const json = path.join(tmp, 'force.json');
    const child = spawn(process.execPath, [CLI, 'lab', lab, '--quick', '--no-progress', '--json', json], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const until = async (text: string) => {
      const started = Date.now();
      while (!output.includes(text) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(output, `waiting for "${text}"`).toContain(text);
    };
    await until('rollout start');
    child.kill('SIGINT');
    await until('stopping the lab');
    const forcedAt = Date.now();
    child.kill('SIGINT');
    expect(await exited, output).toBe(130);
    expect(Date.now() - forcedAt).toBeLessThan(5000);
    expect(output).toContain('SIGINT again: forcing exit');
    await new Promise((r) => setTimeout(r, 300));
    expect(liveProcessesWith(marker)).toEqual([]);
    expect(existsSync(json)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('zerodrop lab: a crashing pod', () => {
  it('gives up on a crash loop showing why the process crashed, in the output and the events, and leaves nothing behind', async () => {
    const marker = `zerodrop-crash-test-${process.pid}`;
    const manifest = path.join(tmp, 'crash.yaml');
    writeFileSync(
      manifest,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: crash}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: crasher\n',
    );
    // The app binds a port someone else holds, as one with a hard-coded port does; Node then
    // prints its error, a stack, the error's fields and its version, and exits 1.
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const port = (held.address() as { port: number }).port;
    const script = path.join(tmp, 'crash.mjs');
    // Its log line carries escape sequences (a colour, a window title): they must arrive as text.
    writeFileSync(
      script,
      `console.error('\\x1b[33mwarn\\x1b]0;pwned\\x07 no config'); (await import('node:http')).createServer().listen(${port}, '127.0.0.1');\n`,
    );
    const eventsFile = path.join(tmp, 'crash.ndjson');
    const r = await runCliAsync([manifest, '--no-progress', '--events', eventsFile, '--run', `crasher=${process.execPath} ${script} ${marker}`]);
    held.close();
    const why = `Error: listen EADDRINUSE: address already in use 127.0.0.1:${port}`;
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain(`× (last: exit code 1: ${why})`);
    expect(r.stderr).toContain(`app: exited with code 1: ${why}`);
    const exits = readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'container' && e.action === 'exit');
    expect(exits.length).toBeGreaterThanOrEqual(2);
    for (const e of exits)
      expect(e).toMatchObject({ exitCode: 1, detail: why, stderr: expect.arrayContaining([why, '\\x1b[33mwarn\\x1b]0;pwned\\x07 no config']) });
    // Only zerodrop's own colours may reach the terminal.
    expect((r.stdout + r.stderr).replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(liveProcessesWith(marker)).toEqual([]);
  });
});
