/**
 * Which kind of HTTP server we were given decides which socket event carries HTTP traffic and
 * whether HTTP/2 sessions exist. Anything else is refused at attach time.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ZerodropError } from '../errors.js';

export type ServerKind = 'http' | 'https' | 'http2' | 'http2-secure';

function prototypeNames(value: object): string[] {
  const names: string[] = [];
  for (let p: unknown = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    names.push((p as { constructor?: { name?: string } }).constructor?.name ?? '');
  }
  return names;
}

export function serverKind(server: unknown): ServerKind {
  if (server instanceof https.Server) return 'https';
  if (server instanceof http.Server) return 'http';
  if (server instanceof net.Server) {
    // node:http2 does not export its server classes; the prototype chain names them.
    const names = prototypeNames(server);
    if (names.includes('Http2SecureServer')) return 'http2-secure';
    if (names.includes('Http2Server')) return 'http2';
  }
  const got = server === null || typeof server !== 'object' ? String(server) : (server.constructor?.name ?? 'object');
  throw new ZerodropError(
    'graceful-not-http-server',
    `zerodrop/graceful: server must be a node:http, node:https or node:http2 server, got ${got}. ` +
      'For express/koa pass the value of app.listen() or http.createServer(app), for fastify app.server, for hono the value of serve().',
  );
}
