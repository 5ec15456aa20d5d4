/**
 * One raw HTTP/1.1 connection, so a test sees exactly what the server does at the socket level:
 * partial headers, pipelined requests, upgrades, a client that never answers a FIN.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  status: number;
  /** The head, lower-cased (status line and headers). */
  headers: string;
  body: string;
}

export class RawConnection {
  readonly socket: net.Socket;
  /** Everything received so far. */
  received = '';
  private consumed = 0;
  endedAt: number | undefined;
  closedAt: number | undefined;
  error: Error | undefined;

  /** `allowHalfOpen: true` makes a client that keeps its side open after the server's FIN. */
  constructor(port: number, options: { allowHalfOpen?: boolean } = {}) {
    this.socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d: string) => (this.received += d));
    this.socket.on('end', () => (this.endedAt = performance.now()));
    this.socket.on('close', () => (this.closedAt = performance.now()));
    this.socket.on('error', (e) => (this.error = e));
  }

  connected(): Promise<void> {
    if (!this.socket.connecting) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Sends a GET and reads its response. */
  async request(path: string, limitMs = 2_500): Promise<RawResponse> {
    this.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    return this.nextResponse(limitMs);
  }

  /** Reads the next complete response (content-length framed) after the ones already read. */
  async nextResponse(limitMs = 2_500): Promise<RawResponse> {
    for (const start = performance.now(); performance.now() - start < limitMs; await sleep(5)) {
      const rest = this.received.slice(this.consumed);
      const head = rest.indexOf('\r\n\r\n');
      // A refused or closed connection will not answer any more: say so at once.
      const gone = this.error !== undefined || this.closedAt !== undefined;
      if (head < 0 && gone) break;
      if (head < 0) continue;
      const headers = rest.slice(0, head).toLowerCase();
      if (/^http\/1\.1 1\d\d /.test(headers)) {
        // An interim response (100 Continue, 101 Switching Protocols) has no body.
        this.consumed += head + 4;
        return { status: Number(headers.split(' ')[1]), headers, body: '' };
      }
      const length = Number(/content-length: (\d+)/.exec(headers)?.[1] ?? 0);
      if (rest.length - head - 4 < length && gone) break;
      if (rest.length - head - 4 < length) continue;
      this.consumed += head + 4 + length;
      return { status: Number(headers.split(' ')[1]), headers, body: rest.slice(head + 4, head + 4 + length) };
    }
    const why = this.error
      ? `the connection failed (${this.error.message})`
      : this.closedAt !== undefined
        ? 'the connection closed'
        : `none within ${limitMs} ms`;
    throw new Error(`no complete response: ${why}; got ${JSON.stringify(this.received.slice(this.consumed))}`);
  }

  async waitFor(pattern: RegExp, limitMs = 2_500): Promise<void> {
    for (const start = performance.now(); !pattern.test(this.received); await sleep(5)) {
      if (performance.now() - start > limitMs) throw new Error(`${pattern} not received within ${limitMs} ms; got ${JSON.stringify(this.received)}`);
    }
  }

  async waitForEnd(limitMs: number): Promise<number | undefined> {
    for (const start = performance.now(); this.endedAt === undefined && performance.now() - start < limitMs; ) await sleep(5);
    return this.endedAt;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
