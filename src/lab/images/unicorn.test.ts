import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';

// The unicorn stand-in as a real master with real workers, signalled for real: SIGTERM must cut a
// request in flight, SIGQUIT must let it finish (https://yhbt.net/unicorn/SIGNALS.html).

const STAND_IN = path.join(PACKAGE_ROOT, 'dist', 'lab', 'images', 'unicorn.js');
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface Master {
  proc: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startMaster(workers = 2): Promise<Master> {
  const port = await freePort();
  const proc = spawn(process.execPath, [STAND_IN, '8080'], {
    env: { ...process.env, PORT_8080: String(port), POD_NAME: 'web-1', ZERODROP_UNICORN_WORKERS: String(workers) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(proc);
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  const until = Date.now() + 10_000;
  while ((err.match(/worker=\d+ ready/g) ?? []).length < workers) {
    if (Date.now() > until) throw new Error(`stand-in did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, port, stderr: () => err, exited };
}

type Outcome = { status: number; body: string; connection: string | undefined } | { error: string };

function get(port: number, urlPath: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

/** Lets the request reach a worker before the signal. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('the unicorn stand-in (a master with workers, unicorn signal semantics)', () => {
  it('answers from its workers, closing every connection, as unicorn does', async () => {
    const m = await startMaster();
    const r = await get(m.port, '/');
    expect(r).toMatchObject({ status: 200, connection: 'close' });
    expect('body' in r && r.body).toMatch(/^ok from web-1 worker=\d\n$/);
  });

  it('SIGTERM to the master is a quick shutdown: the request in flight is cut, the master exits', async () => {
    const m = await startMaster();
    const inFlight = get(m.port, '/slow?ms=3000');
    await settle();
    const t0 = Date.now();
    m.proc.kill('SIGTERM');
    const outcome = await inFlight;
    expect(outcome).toHaveProperty('error');
    expect(await m.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(m.stderr()).toMatch(/quick shutdown/);
  });

  it('SIGQUIT to the master is a graceful shutdown: the request in flight finishes, new connections are refused, then it exits', async () => {
    const m = await startMaster();
    const inFlight = get(m.port, '/slow?ms=1500');
    await settle();
    m.proc.kill('SIGQUIT');
    await settle();
    // The workers have closed their listeners: a new connection is refused while the slow one is served.
    expect(await get(m.port, '/')).toEqual({ error: 'ECONNREFUSED' });
    expect(m.proc.exitCode).toBeNull();
    expect(await inFlight).toMatchObject({ status: 200 });
    expect(await m.exited).toEqual({ code: 0, signal: null });
    expect(m.stderr()).toMatch(/graceful shutdown[\s\S]*master complete/);
  });

  it('respawns a worker that dies while the master runs, as unicorn does', async () => {
    const m = await startMaster(1);
    const before = (m.stderr().match(/worker=0 ready/g) ?? []).length;
    const pid = workerPid(m.proc.pid!);
    process.kill(pid, 'SIGKILL');
    const until = Date.now() + 10_000;
    while ((m.stderr().match(/worker=0 ready/g) ?? []).length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(m.stderr()).toMatch(/reaped worker=0 \(SIGKILL\)/);
    expect(await get(m.port, '/')).toMatchObject({ status: 200 });
  });
});

/** The master's only child, from /proc. */
function workerPid(master: number): number {
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).map(Number);
  expect(children).toHaveLength(1);
  return children[0]!;
}
