#!/usr/bin/env node
// The lab's demo app: a tiny HTTP server with switches for the classic shutdown mistakes.
// Every switch is an environment variable so a manifest's `env:` can set it, exactly as a real
// Deployment would configure its container.
//
//   PORT                      port to listen on (the lab sets it per pod)
//   POD_NAME                  echoed in the x-zerodrop-pod response header
//   DEMO_START_DELAY_MS       slow start: wait this long before listening (default 0)
//   DEMO_ON_SIGTERM           what the stop signal does:
//                               exit      exit at once, cutting in-flight requests (default: a
//                                         handler that exits, so it also stops as PID 1, where a
//                                         server without a handler would ignore SIGTERM)
//                               ignore    ignore it (only SIGKILL at the grace deadline ends it)
//                               close     server.close() then exit when in-flight work is done
//                               graceful  zerodrop's in-app library (keeps serving for the drain
//                                         delay, then closes with Connection: close); it reads
//                                         ZERODROP_DRAIN=adaptive and the other ZERODROP_*
//                                         settings from the environment itself
//   DEMO_DRAIN_DELAY_MS       graceful: how long to keep serving after the signal (default 3000)
//   DEMO_SLOW_MS              every request takes this long (default 0); `/slow?ms=N` per request
//   DEMO_KEEPALIVE_TIMEOUT_MS server.keepAliveTimeout (default: Node's 5000)
//   DEMO_BACKEND_URL          call this URL for every request and fail with 503 when it fails
//                             (the sidecar-race scenario routes it through a sidecar proxy)
//   DEMO_STOP_SIGNALS         extra signals treated like SIGTERM, comma separated (e.g. SIGQUIT)
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const port = Number(process.env.PORT ?? 8080);
const podName = process.env.POD_NAME ?? 'demo';
const startDelayMs = Number(process.env.DEMO_START_DELAY_MS ?? 0);
const onSigterm = process.env.DEMO_ON_SIGTERM ?? 'exit';
const slowMs = Number(process.env.DEMO_SLOW_MS ?? 0);
const backendUrl = process.env.DEMO_BACKEND_URL;
const drainDelayMs = Number(process.env.DEMO_DRAIN_DELAY_MS ?? 3000);
const backendAgent = new http.Agent({ keepAlive: true });

function callBackend() {
  return new Promise((resolve, reject) => {
    const req = http.get(backendUrl, { agent: backendAgent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`backend ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('backend timeout')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  res.setHeader('x-zerodrop-pod', podName);
  const url = new URL(req.url ?? '/', 'http://x');
  const wait = url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? 1000) : slowMs;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  if (backendUrl && url.pathname !== '/healthz') {
    try {
      await callBackend();
    } catch (err) {
      res.statusCode = 503;
      res.end(`backend unavailable: ${err.message}\n`);
      return;
    }
  }
  res.end(`ok from ${podName}\n`);
});
if (process.env.DEMO_KEEPALIVE_TIMEOUT_MS) server.keepAliveTimeout = Number(process.env.DEMO_KEEPALIVE_TIMEOUT_MS);

let lifecycle;

async function installStopHandler() {
  const signals = [
    'SIGTERM',
    ...(process.env.DEMO_STOP_SIGNALS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  switch (onSigterm) {
    case 'exit':
      // What most servers without a handler do when they are not PID 1: gone at once. As a
      // handler it works the same as PID 1 of a PID namespace, the lab's default.
      for (const s of signals) process.on(s, () => process.exit(0));
      return;
    case 'ignore':
      for (const s of signals) process.on(s, () => {});
      return;
    case 'close':
      for (const s of signals) process.on(s, () => server.close(() => process.exit(0)));
      return;
    case 'graceful': {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const lib = await import(path.join(here, '..', '..', 'dist', 'graceful', 'index.js'));
      lifecycle = lib.graceful(server, { drainDelayMs, timeoutMs: drainDelayMs + 5000, signals });
      return;
    }
    default:
      console.error(`unknown DEMO_ON_SIGTERM=${onSigterm}`);
      process.exit(2);
  }
}

await installStopHandler();
setTimeout(() => server.listen(port, '127.0.0.1', () => lifecycle?.ready()), startDelayMs);
