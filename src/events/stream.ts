import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { ZerodropError } from '../errors.js';
import type { EventBody, ZerodropEvent } from './schema.js';
import { eventProblem } from './validate.js';

export type EventListener = (event: ZerodropEvent) => void;

/**
 * An in-process event bus with an optional NDJSON sink. Producers call `emit`; renderers
 * (terminal view, NDJSON file, report) subscribe. Timestamps come from one monotonic clock per
 * run so that every lane of a report shares the same axis.
 */
export class EventStream {
  private readonly listeners = new Set<EventListener>();
  private readonly origin: number;
  readonly run: string;

  constructor(run: string, origin: number = performance.now()) {
    this.run = run;
    this.origin = origin;
  }

  /** Milliseconds since this run's t=0. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  /** Converts a `performance.now()` reading into this run's time axis. */
  at(performanceNow: number): number {
    return Math.round((performanceNow - this.origin) * 1000) / 1000;
  }

  emit(body: EventBody, t: number = this.now()): ZerodropEvent {
    const event = { t, run: this.run, ...body } as ZerodropEvent;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Appends events as NDJSON to a file (or a stream the caller opened, e.g. a claimed output file). */
export class NdjsonSink {
  private readonly out: WriteStream;

  constructor(target: string | WriteStream) {
    this.out = typeof target === 'string' ? createWriteStream(target, { flags: 'w' }) : target;
  }

  write = (event: ZerodropEvent): void => {
    this.out.write(`${JSON.stringify(event)}\n`);
  };

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/**
 * Reads an NDJSON event file; a line that is not JSON, or not an event of the schema (a missing
 * field, a wrong type, an unknown verdict), is a usage error naming the file and line.
 */
export function readEventsFile(path: string): ZerodropEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ZerodropError('input-unreadable', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseEvents(text, path);
}

export function parseEvents(text: string, file = '<events>'): ZerodropEvent[] {
  const events: ZerodropEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ZerodropError('events-malformed', 'not a JSON event (expected NDJSON written by zerodrop lab --events)', {
        position: { file, line: i + 1 },
      });
    }
    const problem = eventProblem(value);
    if (problem !== undefined) throw new ZerodropError('events-malformed', problem, { position: { file, line: i + 1 } });
    events.push(value as ZerodropEvent);
  }
  return events;
}
