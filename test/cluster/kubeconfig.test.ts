import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigYaml } from './fakeKubeApi.js';
import { tempDir } from './cli.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { ZerodropError } from '../../src/errors.js';

const write = (dir: string, name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('loadKubeconfig (as kubectl loads it)', () => {
  it('merges a KUBECONFIG path list; the first file sets the current context; --context switches', () => {
    const dir = tempDir();
    const a = write(dir, 'a', kubeconfigYaml('https://a.example:6443', { context: 'alpha', namespace: 'shop' }));
    const b = write(dir, 'b', kubeconfigYaml('https://b.example:6443', { context: 'beta', namespace: 'ops' }));
    // Missing files are skipped; for a name set twice the first file wins (clientcmd rules).
    const shadow = write(dir, 'c', kubeconfigYaml('https://shadowed.example:6443', { context: 'beta', namespace: 'nope' }));
    const env = { KUBECONFIG: `${join(dir, 'missing')}:${a}:${b}:${shadow}` };
    expect(loadKubeconfig({ env })).toMatchObject({ context: 'alpha', server: 'https://a.example:6443' });
    const beta = loadKubeconfig({ env, context: 'beta' });
    expect(beta).toMatchObject({ context: 'beta', server: 'https://b.example:6443' });
    expect(beta.config.getContextObject('beta')?.namespace).toBe('ops');
  });

  it('--kubeconfig reads only that file', () => {
    const dir = tempDir();
    const a = write(dir, 'a', kubeconfigYaml('https://a.example:6443', { context: 'alpha' }));
    const b = write(dir, 'b', kubeconfigYaml('https://b.example:6443', { context: 'beta' }));
    const err = (() => {
      try {
        loadKubeconfig({ kubeconfig: b, env: { KUBECONFIG: a }, context: 'alpha' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ZerodropError);
    expect((err as ZerodropError).message).toBe('--context alpha is not in the kubeconfig (known: beta)');
  });

  it.each([
    [{ kubeconfig: '/nonexistent/kc' }, 'input-unreadable', 2],
    [{ env: { KUBECONFIG: '/nonexistent/kc', HOME: '/nonexistent' } }, 'kubeconfig-missing', 4],
  ])('a missing kubeconfig is one clear error %j', (options, code, exitCode) => {
    try {
      loadKubeconfig(options);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code, exitCode });
    }
  });
});
