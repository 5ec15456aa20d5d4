/**
 * A minimal HTTP/2 client over a raw TCP socket (h2c with prior knowledge): frames are written by
 * hand, so a test decides exactly when each stream is sent relative to the server's frames.
 * Header blocks use only HPACK's static table and literals (RFC 7541), which every decoder reads.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8 } as const;
const FLAG = { ACK: 0x1, END_STREAM: 0x1, END_HEADERS: 0x4 } as const;
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

export function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** GOAWAY payload: last stream id and error code (RFC 9113 section 6.8). */
export function goawayFrame(lastStreamId: number, code = 0): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  payload.writeUInt32BE(code, 4);
  return frame(FRAME.GOAWAY, 0, 0, payload);
}

/** A GET request on `stream` (odd, increasing), ending the stream. */
export function getRequest(stream: number, path: string): Buffer {
  const p = Buffer.from(path);
  // :method GET (static 2), :scheme http (static 6), :path literal (name static 4), :authority literal (name static 1).
  const block = Buffer.concat([Buffer.from([0x82, 0x86, 0x04, p.length]), p, Buffer.from([0x01, 1]), Buffer.from('x')]);
  return frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, stream, block);
}

export function lastStreamIdOf(goaway: Frame): number {
  return goaway.payload.readUInt32BE(0) & 0x7fffffff;
}

export class RawH2Connection {
  readonly socket: net.Socket;
  readonly frames: Frame[] = [];
  private buffer = Buffer.alloc(0);

  /** `ackPings: false` leaves PINGs for the test to answer, to place a stream before the ACK. */
  constructor(
    port: number,
    private readonly ackPings = true,
  ) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('error', () => {});
    this.socket.on('data', (d: Buffer) => this.read(d));
    this.socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
  }

  private read(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    while (this.buffer.length >= 9) {
      const length = this.buffer.readUIntBE(0, 3);
      if (this.buffer.length < 9 + length) return;
      const f: Frame = {
        type: this.buffer[3]!,
        flags: this.buffer[4]!,
        stream: this.buffer.readUInt32BE(5) & 0x7fffffff,
        payload: this.buffer.subarray(9, 9 + length),
      };
      this.buffer = this.buffer.subarray(9 + length);
      if (f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)) this.socket.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
      if (this.ackPings && f.type === FRAME.PING && !(f.flags & FLAG.ACK)) this.ackPing(f);
      this.frames.push(f);
    }
  }

  ackPing(ping: Frame): void {
    this.socket.write(frame(FRAME.PING, FLAG.ACK, 0, ping.payload));
  }

  write(data: Buffer): void {
    this.socket.write(data);
  }

  async waitFor(match: (f: Frame) => boolean, limitMs = 2_000): Promise<Frame | undefined> {
    for (const start = performance.now(); performance.now() - start < limitMs; await sleep(5)) {
      const found = this.frames.find(match);
      if (found) return found;
    }
    return undefined;
  }

  /** Frames that answer `stream`: its HEADERS, DATA or RST_STREAM. */
  answersTo(stream: number): Frame[] {
    return this.frames.filter((f) => f.stream === stream && (f.type === FRAME.HEADERS || f.type === FRAME.DATA || f.type === FRAME.RST_STREAM));
  }

  destroy(): void {
    this.socket.destroy();
  }
}
