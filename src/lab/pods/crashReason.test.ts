import { describe, expect, it } from 'vitest';
import { crashHeadline, describeExit, explainCrash } from './crashReason.js';

// Crash output as runtimes print it: the line that says why is rarely the last one.
const NODE_EADDRINUSE = [
  'node:events:502',
  "      throw er; // Unhandled 'error' event",
  '      ^',
  'Error: listen EADDRINUSE: address already in use 127.0.0.1:18556',
  '    at Server.setupListenHandle [as _listen2] (node:net:1908:16)',
  "Emitted 'error' event on Server instance at:",
  '    at emitErrorNT (node:net:1944:8)',
  "  code: 'EADDRINUSE',",
  '}',
  'Node.js v20.20.2',
];
const PYTHON_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/app/server.py", line 9, in <module>',
  "    server = HTTPServer(('', port), Handler)",
  'OSError: [Errno 98] Address already in use',
];
const GO_LOG_FATAL = ['2026/01/02 10:00:00 starting on :8080', '2026/01/02 10:00:00 listen tcp :8080: bind: address already in use'];
const NGINX = ['nginx: [emerg] bind() to 127.0.0.1:80 failed (98: Address already in use)', 'nginx: [emerg] still could not bind()'];

describe('crashHeadline', () => {
  it('finds the thrown error under Node’s stack frames, fields and version footer', () => {
    expect(crashHeadline(NODE_EADDRINUSE)).toBe('Error: listen EADDRINUSE: address already in use 127.0.0.1:18556');
  });
  it('takes the exception line that ends a Python traceback', () => {
    expect(crashHeadline(PYTHON_TRACEBACK)).toBe('OSError: [Errno 98] Address already in use');
  });
  it('prefers a fatal-level log line, else the last line that is not a frame', () => {
    expect(crashHeadline(NGINX)).toBe('nginx: [emerg] still could not bind()');
    expect(crashHeadline(GO_LOG_FATAL)).toBe('2026/01/02 10:00:00 listen tcp :8080: bind: address already in use');
    expect(crashHeadline(['', '   ', '}'])).toBeUndefined();
  });
  it('keeps a very long line to one readable line', () => {
    expect(crashHeadline([`Error: ${'x'.repeat(1000)}`])!.length).toBe(300);
  });
});

describe('explainCrash', () => {
  it('says how the process ended and why, from stderr before stdout', () => {
    expect(explainCrash({ code: 1, signal: null }, NODE_EADDRINUSE, ['listening soon'])).toEqual({
      reason: 'exit code 1: Error: listen EADDRINUSE: address already in use 127.0.0.1:18556',
      headline: 'Error: listen EADDRINUSE: address already in use 127.0.0.1:18556',
    });
    expect(explainCrash({ code: 3, signal: null }, [], ['fatal: no config file']).reason).toBe('exit code 3: fatal: no config file');
    expect(explainCrash({ code: null, signal: 'SIGSEGV' }, [], [])).toEqual({ reason: 'killed by SIGSEGV' });
    expect(describeExit({ code: 0, signal: null })).toBe('exit code 0');
  });
});
