/**
 * What graceful adds to each request, measured where it runs: `server.emit('request', …)` on a
 * bare node:http server and on one with graceful() attached, with Node's own request and response
 * objects on a real connected socket. Throughput on a shared machine swings by more than the
 * effect; the time per emit does not, and dividing it by the server's CPU time per request gives
 * the overhead as a fraction. The same request pair is emitted repeatedly, so the numbers are the
 * hooks' cost with warm caches: the emit wrapper, the per-socket map lookup, the bytes-read read
 * and the probe-path check.
 */
import http from 'node:http';
import net from 'node:net';
import { graceful } from '../../dist/graceful/index.js';

function nsPerEmit(server: http.Server, req: http.IncomingMessage, res: http.ServerResponse, n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) server.emit('request', req, res);
  return Number(process.hrtime.bigint() - start) / n;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function hotPathCost(rounds = 21, perRound = 200_000): Promise<{ bareNs: number; gracefulNs: number; addedNs: number }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const socket = await accepted;
  const make = (): { server: http.Server; req: http.IncomingMessage; res: http.ServerResponse } => {
    const server = http.createServer(() => {});
    const req = new http.IncomingMessage(socket);
    req.url = '/work?ms=0';
    req.method = 'GET';
    req.httpVersionMajor = 1;
    return { server, req, res: new http.ServerResponse(req) };
  };
  const bare = make();
  const attached = make();
  graceful(attached.server, { signals: [], exit: false, logger: false, ready: true });
  const samples = { bare: [] as number[], graceful: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    // Alternate, so a neighbour's burst of load hits both sides alike.
    const order = i % 2 === 0 ? (['bare', 'graceful'] as const) : (['graceful', 'bare'] as const);
    for (const which of order) {
      const s = which === 'bare' ? bare : attached;
      samples[which].push(nsPerEmit(s.server, s.req, s.res, perRound));
    }
  }
  client.destroy();
  socket.destroy();
  listener.close();
  const added = median(samples.graceful.map((g, i) => g - samples.bare[i]!));
  return { bareNs: median(samples.bare), gracefulNs: median(samples.graceful), addedNs: added };
}
