import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus, errorCode } from './error-class.js';

// docs/reference/load-verification.md#client-error-classes: what an undici client sees for each way a pod goes away.
describe('classifyError maps undici/Node error codes to the normalised classes', () => {
  const table: Array<[string, unknown, string]> = [
    ['nothing listening', { code: 'ECONNREFUSED' }, 'refused'],
    ['RST from the peer', { code: 'ECONNRESET' }, 'reset'],
    ['write into a dead socket', { code: 'EPIPE' }, 'reset'],
    ['peer closed the socket with our request on it', { code: 'UND_ERR_SOCKET' }, 'socket-closed'],
    ['no headers in time', { code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout'],
    ['body stalled', { code: 'UND_ERR_BODY_TIMEOUT' }, 'timeout'],
    ['connect never completed', { code: 'UND_ERR_CONNECT_TIMEOUT' }, 'timeout'],
    ['our own per-request timer', { code: 'TIMEOUT' }, 'timeout'],
    ['AbortSignal.timeout', { name: 'TimeoutError' }, 'timeout'],
    ['code only on the cause', { cause: { code: 'ECONNREFUSED' } }, 'refused'],
    ['unknown code', { code: 'UND_ERR_INVALID_ARG' }, 'other'],
    ['not an error object', 'boom', 'other'],
  ];
  it.each(table)('%s', (_case, err, expected) => {
    expect(classifyError(err).error).toBe(expected);
  });

  it('keeps the raw code for debugging', () => {
    expect(classifyError({ code: 'UND_ERR_SOCKET' }).code).toBe('UND_ERR_SOCKET');
    expect(errorCode('boom')).toBe('UNKNOWN');
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, undefined],
    [204, undefined],
    [301, undefined],
    [502, 'http-5xx'],
    [503, 'http-5xx'],
    [404, 'other'],
    [429, 'other'],
  ])('status %i → %s', (status, expected) => {
    expect(classifyStatus(status)?.error).toBe(expected);
  });

  it('names the status in the code', () => {
    expect(classifyStatus(503)).toEqual({ error: 'http-5xx', code: 'HTTP_503' });
  });
});
