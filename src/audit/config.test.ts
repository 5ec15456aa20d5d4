import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { ZerodropError } from '../errors.js';

const ids = new Set(['prestop-missing', 'unknown-field']);

function errorOf(text: string): string {
  try {
    parseConfig(text, '.zerodrop.yaml', ids);
  } catch (err) {
    if (err instanceof ZerodropError) return `${err.exitCode} ${err.oneLine()}`;
    throw err;
  }
  return 'no error';
}

describe('.zerodrop.yaml', () => {
  it('reads settings and per-rule severities', () => {
    expect(
      parseConfig(
        'kubernetesVersion: "1.29"\npropagationSeconds: 8\ndrainSeconds: 3\nfailOn: warning\nformat: sarif\nrules:\n  prestop-missing: warning\n  unknown-field: off\n',
        'c',
        ids,
      ),
    ).toEqual({
      file: 'c',
      kubernetesVersion: '1.29',
      propagationSeconds: 8,
      drainSeconds: 3,
      failOn: 'warning',
      format: 'sarif',
      rules: { 'prestop-missing': 'warning', 'unknown-field': 'off' },
    });
  });

  it('keeps an unquoted 1.30 as 1.30, not the number 1.3', () => {
    expect(parseConfig('kubernetesVersion: 1.30\n', 'c', ids).kubernetesVersion).toBe('1.30');
  });

  it.each([
    [
      'unknown setting with a suggestion',
      'propagationSecond: 5\n',
      '2 .zerodrop.yaml:1:1: unknown setting "propagationSecond" (did you mean "propagationSeconds"?)',
    ],
    ['negative seconds', 'drainSeconds: -1\n', '2 .zerodrop.yaml:1:15: drainSeconds must be a number of seconds ≥ 0'],
    [
      'a renamed rule id, which would silently do nothing',
      'rules:\n  shutdown-timeout-exceeds-grace: off\n',
      '2 .zerodrop.yaml:2:3: rule "shutdown-timeout-exceeds-grace" is now "server-drain-exceeds-grace" (merged into it); write "server-drain-exceeds-grace" instead',
    ],
    ['bad severity', 'rules:\n  prestop-missing: loud\n', '2 .zerodrop.yaml:2:20: rule prestop-missing must be off, info, warning or error'],
    ['bad failOn', 'failOn: sometimes\n', '2 .zerodrop.yaml:1:9: failOn must be one of error, warning, info, never'],
    ['broken YAML', 'rules: [\n', '2 .zerodrop.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['not a mapping', '- a\n', '2 .zerodrop.yaml:1:1: the config must be a mapping of settings'],
  ])('%s is a usage error at file:line:col', (_name, text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });
});
