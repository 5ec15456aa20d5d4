import { describe, expect, it } from 'vitest';
import { visibleIdleTimeout } from './keepAlive.js';

const seen = (c: Record<string, unknown>) => {
  const t = visibleIdleTimeout(c);
  return t && { server: t.server.id, seconds: t.seconds, written: t.written };
};

describe('visibleIdleTimeout', () => {
  it.each([
    [{ command: ['uvicorn', 'app:app', '--timeout-keep-alive', '75'] }, { server: 'uvicorn', seconds: 75, written: true }],
    [{ command: ['python', '-m', 'uvicorn', 'app:app'] }, { server: 'uvicorn', seconds: 5, written: false }],
    [{ command: ['sh', '-c', 'exec uvicorn app:app --timeout-keep-alive=30'] }, { server: 'uvicorn', seconds: 30, written: true }],
    [
      { command: ['uvicorn', 'app:app'], env: [{ name: 'UVICORN_TIMEOUT_KEEP_ALIVE', value: '12' }] },
      { server: 'uvicorn', seconds: 12, written: true },
    ],
    [{ command: ['/usr/local/bin/gunicorn', '--threads', '8', '--keep-alive', '10', 'app:app'] }, { server: 'gunicorn', seconds: 10, written: true }],
    [
      { command: ['gunicorn', 'app:app'], env: [{ name: 'GUNICORN_CMD_ARGS', value: '-k gevent --keep-alive 3' }] },
      { server: 'gunicorn', seconds: 3, written: true },
    ],
    // The command line overrides GUNICORN_CMD_ARGS.
    [
      { command: ['gunicorn', '-k', 'gthread', '--keep-alive', '90', 'app:app'], env: [{ name: 'GUNICORN_CMD_ARGS', value: '--keep-alive 3' }] },
      { server: 'gunicorn', seconds: 90, written: true },
    ],
    // sync with threads runs gthread.
    [{ command: ['gunicorn', '-k', 'sync', '--threads', '4', '--keep-alive', '5', 'app:app'] }, { server: 'gunicorn', seconds: 5, written: true }],
    [{ command: ['npx', 'next', 'start', '--keepAliveTimeout', '70000'] }, { server: 'next', seconds: 70, written: true }],
    [{ args: ['next', 'start', '-p', '3000'] }, { server: 'next', seconds: 5, written: false }],
  ])('%j → %j', (c, expected) => expect(seen(c)).toEqual(expected));

  it.each([
    ['the default sync worker, which keeps no connection alive', { command: ['gunicorn', '--keep-alive', '5', 'app:app'] }],
    ['an explicit sync worker', { command: ['gunicorn', '-k', 'sync', '--keep-alive', '5', 'app:app'] }],
    ['gunicorn without a written value (its config file may set one)', { command: ['gunicorn', '-k', 'gevent', 'app:app'] }],
    ['next dev is not next start', { command: ['next', 'dev'] }],
    ['a value that does not parse', { command: ['uvicorn', 'app:app', '--timeout-keep-alive', 'long'] }],
    ['node itself: its timeout is set in code', { command: ['node', 'server.js'] }],
  ])('%s → nothing', (_what, c) => expect(visibleIdleTimeout(c)).toBeUndefined());
});
