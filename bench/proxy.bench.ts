/**
 * `npm run bench -- proxy`: the lab proxy's cost and the load generator's accuracy.
 *
 * Every target proxies the same backend, a plain node:http server in its own process:
 *  - direct: the generator talks to the backend itself (the baseline);
 *  - l7 / l4: our proxies, each in its own Node process (as nginx is), so the generator's CPU use
 *    does not count against them;
 *  - nginx: Debian's nginx configured by src/lab/proxy/nginx-config.ts, when installed.
 * For each target, in interleaved rounds (medians of ROUNDS):
 *  - open model at 2,000 rps for 2 s: achieved rate, latency p50/p99 from intended send, failures;
 *  - closed loop, 32 connections for 1.5 s: saturation throughput.
 * Then the generator alone at 1,000 rps for 3 s against the backend: achieved rate and lag.
 * Ratios are against `direct` measured in the same rounds, so a noisy machine moves both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import { startLoad } from '../dist/load/generator.js';
import { nginxAvailable, startNginxIngress } from '../dist/lab/proxy/nginx-ingress.js';

const ROUNDS = 3;
const OPEN_RATE = 2000;
const OPEN_MS = 2000;
const CLOSED_CONNECTIONS = 32;
const CLOSED_MS = 1500;
const GEN_RATE = 1000;
const GEN_MS = 3000;

const here = dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

const BACKEND = `
const http = require('node:http');
const body = Buffer.from('ok from the backend\\n');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }); res.end(body); });
s.keepAliveTimeout = 65000;
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

const PROXY = (mode: string, port: number): string => `
import(${JSON.stringify(join(here, '..', 'dist', 'lab', 'proxy', 'index.js'))}).then(async (m) => {
  const p = await m.startProxy({ mode: ${JSON.stringify(mode)}, upstreamKeepAliveMs: 60000, endpoints: [{ name: 'backend', host: '127.0.0.1', port: ${port} }] });
  console.log(p.port);
});
`;

async function spawnPrintingPort(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const rl = createInterface({ input: child.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  return Number(line);
}

function killChildren(): void {
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * CPU time (ms) used so far by every process in a process group, from /proc (Linux). CPU per
 * request is the overhead measure that survives a busy shared machine: waiting for a core
 * stretches latency, it does not add CPU time.
 */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const dir of readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${dir}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) pgrp(2) ... utime(11) stime(12).
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function closedLoop(url: string): Promise<number> {
  const pool = new Pool(new URL(url).origin, { connections: CLOSED_CONNECTIONS, pipelining: 1 });
  let done = 0;
  const until = performance.now() + CLOSED_MS;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const res = await pool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLOSED_CONNECTIONS }, worker));
  const rps = done / ((performance.now() - t0) / 1000);
  await pool.close();
  return rps;
}

interface OpenResult {
  achieved: number;
  p50: number;
  p99: number;
  failures: number;
}

async function openModel(url: string, rate: number, durationMs: number): Promise<OpenResult & { lagP50: number; lagP99: number; healthy: boolean }> {
  const r = await startLoad({ url, rate, durationMs, timeoutMs: 5000 }).done;
  const starts = r.records.map((x) => x.start);
  const span = (Math.max(...starts) - Math.min(...starts)) / 1000;
  const lags = r.records.map((x) => x.start - x.intended).sort((a, b) => a - b);
  return {
    achieved: (r.records.length - 1) / span,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failures: r.records.filter((x) => x.error).length,
    lagP50: lags[Math.floor(lags.length * 0.5)] ?? 0,
    lagP99: lags[Math.floor(lags.length * 0.99)] ?? 0,
    healthy: r.health.healthy,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const f = (n: number, d = 1): string => n.toFixed(d);

export async function run(): Promise<void> {
  const onSignal = (): void => {
    killChildren();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const nginxIngress = nginxAvailable() ? 'pending' : undefined;
  let closeNginx: (() => Promise<void>) | undefined;
  try {
    const backendPort = await spawnPrintingPort(['-e', BACKEND]);
    const targets: Record<string, string> = { direct: `http://127.0.0.1:${backendPort}/` };
    const hopPgid: Record<string, number> = { direct: children.at(-1)!.pid! };
    targets.l7 = `http://127.0.0.1:${await spawnPrintingPort(['--input-type=module', '-e', PROXY('l7', backendPort)])}/`;
    hopPgid.l7 = children.at(-1)!.pid!;
    targets.l4 = `http://127.0.0.1:${await spawnPrintingPort(['--input-type=module', '-e', PROXY('l4', backendPort)])}/`;
    hopPgid.l4 = children.at(-1)!.pid!;
    if (nginxIngress) {
      const ingress = await startNginxIngress({ endpoints: [{ name: 'backend', host: '127.0.0.1', port: backendPort }], upstreamKeepAliveMs: 60_000 });
      closeNginx = ingress.close;
      targets.nginx = ingress.url;
      hopPgid.nginx = ingress.pid;
    } else {
      console.warn('nginx not installed (/usr/sbin/nginx): skipping the nginx comparison');
    }

    // Warm up every path (JIT, connection pools) before measuring.
    for (const url of Object.values(targets)) await openModel(url, 500, 500);

    const open: Record<string, OpenResult[]> = {};
    const closed: Record<string, number[]> = {};
    /** CPU µs per request of the hop itself (the backend for `direct`, the proxy otherwise). */
    const cpu: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url] of Object.entries(targets)) {
        const pgid = hopPgid[name]!;
        const before = groupCpuMs(pgid);
        const o = await openModel(url, OPEN_RATE, OPEN_MS);
        (cpu[name] ??= []).push(((groupCpuMs(pgid) - before) * 1000) / (OPEN_RATE * (OPEN_MS / 1000)));
        (open[name] ??= []).push(o);
        (closed[name] ??= []).push(await closedLoop(url));
      }
    }

    const base = {
      achieved: median(open.direct!.map((r) => r.achieved)),
      p50: median(open.direct!.map((r) => r.p50)),
      sat: median(closed.direct!),
    };
    console.log(`Machine load average (1 min) at the end of the proxy rounds: ${f(loadavg()[0]!, 1)} on ${availableParallelism()} cores.\n`);
    console.log(
      `Open model at ${OPEN_RATE} rps for ${OPEN_MS / 1000} s, closed loop with ${CLOSED_CONNECTIONS} connections for ${CLOSED_MS / 1000} s; medians of ${ROUNDS} rounds.\n`,
    );
    const baseCpu = median(cpu.direct!);
    console.log('`cpu µs/req` is the CPU time of the hop itself at 2,000 rps: the backend for `direct`, the proxy process(es) otherwise.\n');
    console.log(
      '| target | achieved rps @2000 | ratio vs direct | latency p50 ms | p99 ms | failures | cpu µs/req | ÷ backend cpu | saturation rps | ratio vs direct |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const name of Object.keys(targets)) {
      const o = open[name]!;
      const achieved = median(o.map((r) => r.achieved));
      const sat = median(closed[name]!);
      console.log(
        `| ${name} | ${f(achieved, 0)} | ${f(achieved / base.achieved, 3)} | ${f(median(o.map((r) => r.p50)), 2)} | ${f(median(o.map((r) => r.p99)), 2)} | ${o.reduce((n, r) => n + r.failures, 0)} | ${f(median(cpu[name]!), 0)} | ${f(median(cpu[name]!) / baseCpu, 2)} | ${f(sat, 0)} | ${f(sat / base.sat, 2)} |`,
      );
    }

    const gen = [];
    for (let round = 0; round < ROUNDS; round++) gen.push(await openModel(targets.direct!, GEN_RATE, GEN_MS));
    const achieved = median(gen.map((g) => g.achieved));
    console.log(`\nGenerator at ${GEN_RATE} rps for ${GEN_MS / 1000} s against the backend (medians of ${ROUNDS}):\n`);
    console.log('| achieved rps | error vs schedule | lag p50 ms | lag p99 ms | healthy |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| ${f(achieved, 1)} | ${f((Math.abs(achieved - GEN_RATE) / GEN_RATE) * 100, 2)} % | ${f(median(gen.map((g) => g.lagP50)), 2)} | ${f(median(gen.map((g) => g.lagP99)), 2)} | ${gen.map((g) => (g.healthy ? 'yes' : 'no')).join('/')} |`,
    );
  } finally {
    await closeNginx?.();
    killChildren();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
