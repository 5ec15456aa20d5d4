import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kubeconfigObject, kubeconfigYaml } from './fakeKubeApi.js';
import { tempDir } from './cli.js';
import { kubectl, KUBECTL } from './helpers/kubectl.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { ZerodropError } from '../../src/errors.js';

const write = (dir: string, name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const thrown = (fn: () => unknown): ZerodropError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZerodropError) return e;
    throw e;
  }
  throw new Error('expected a ZerodropError');
};

/** What kubectl makes of the same files: the context in use, its cluster's server, namespace and user. */
async function kubectlView(env: NodeJS.ProcessEnv, context?: string) {
  const r = await kubectl(['config', 'view', '--minify', '--raw', '-o', 'json', ...(context ? ['--context', context] : [])], { env });
  expect(r.code, r.stderr).toBe(0);
  const view = JSON.parse(r.stdout) as Record<string, any>;
  const ctx = view.contexts[0];
  return { context: ctx.name, server: view.clusters[0].cluster.server, namespace: ctx.context.namespace, user: ctx.context.user };
}

const ours = (env: NodeJS.ProcessEnv, context?: string) => {
  const l = loadKubeconfig({ env, ...(context ? { context } : {}) });
  return { context: l.context, server: l.server, namespace: l.namespace, user: l.user?.name };
};

describe('loadKubeconfig (as kubectl loads it)', () => {
  it("merges a KUBECONFIG path list in kubectl's order: the first file to name a context, cluster or user wins, and the first current-context", async () => {
    const dir = tempDir();
    const a = write(dir, 'a', kubeconfigYaml('https://a.example:6443', { context: 'alpha', namespace: 'shop' }));
    const b = write(dir, 'b', kubeconfigYaml('https://b.example:6443', { context: 'beta', namespace: 'ops' }));
    const shadow = write(dir, 'c', kubeconfigYaml('https://shadowed.example:6443', { context: 'beta', namespace: 'nope' }));
    const env = { HOME: dir, KUBECONFIG: `${join(dir, 'missing')}:${a}:${b}:${shadow}` };
    expect(ours(env)).toEqual({ context: 'alpha', server: 'https://a.example:6443', namespace: 'shop', user: 'alpha-user' });
    expect(ours(env, 'beta')).toEqual({ context: 'beta', server: 'https://b.example:6443', namespace: 'ops', user: 'beta-user' });
    if (KUBECTL) {
      expect(await kubectlView(env)).toEqual(ours(env));
      expect(await kubectlView(env, 'beta')).toEqual(ours(env, 'beta'));
    }
  });

  it('tolerates what kubectl tolerates: an empty file, incomplete entries of other contexts, a missing token-file of another user', async () => {
    const dir = tempDir();
    const good = kubeconfigObject('https://good.example:6443', { context: 'good' });
    const broken = {
      ...good,
      clusters: [...(good.clusters as object[]), { name: 'no-server', cluster: {} }],
      contexts: [...(good.contexts as object[]), { name: 'no-cluster', context: { user: 'ghost' } }],
      users: [...(good.users as object[]), { name: 'gone', user: { 'token-file': join(dir, 'does-not-exist') } }],
    };
    const env = { HOME: dir, KUBECONFIG: `${write(dir, 'empty', '')}:${write(dir, 'broken', stringify(broken))}` };
    expect(ours(env)).toEqual({ context: 'good', server: 'https://good.example:6443', namespace: 'shop', user: 'good-user' });
    if (KUBECTL) expect(await kubectlView(env)).toEqual(ours(env));
    // Only the context in use is validated, and its problem is named.
    expect(thrown(() => loadKubeconfig({ env, context: 'no-cluster' })).message).toBe(
      `context "no-cluster" in the kubeconfig (KUBECONFIG=${env.KUBECONFIG}) names no cluster; pass --context`,
    );
  });

  it("resolves relative certificate, key, token-file and exec command paths against the kubeconfig's directory", () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf', 'bin'), { recursive: true });
    for (const f of ['ca.crt', 'client.crt', 'client.key']) writeFileSync(join(dir, 'conf', f), 'x');
    const kc = kubeconfigObject('https://a.example:6443', {
      cluster: { 'certificate-authority': 'ca.crt' },
      user: {
        'client-certificate': 'client.crt',
        'client-key': './client.key',
        'token-file': 'token',
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/get-token', interactiveMode: 'Never' },
      },
    });
    const loaded = loadKubeconfig({ kubeconfig: write(join(dir, 'conf'), 'config', stringify(kc)) });
    const conf = join(dir, 'conf');
    expect(loaded.cluster.certificateAuthority).toBe(join(conf, 'ca.crt'));
    expect(loaded.user).toMatchObject({
      clientCertificate: join(conf, 'client.crt'),
      clientKey: join(conf, 'client.key'),
      tokenFile: join(conf, 'token'),
      exec: { command: join(conf, 'bin', 'get-token'), interactiveMode: 'Never' },
    });
    // A bare command name is looked up on PATH, as kubectl does.
    const bare = kubeconfigObject('https://a.example:6443', { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws' } } });
    expect(loadKubeconfig({ kubeconfig: write(dir, 'bare', stringify(bare)) }).user?.exec?.command).toBe('aws');
  });

  it('reads as, as-groups, as-uid and as-user-extra', () => {
    const dir = tempDir();
    const kc = kubeconfigObject('https://a.example:6443', {
      user: { token: 't', as: 'jane', 'as-groups': ['devs'], 'as-uid': '42', 'as-user-extra': { team: ['web'] } },
    });
    expect(loadKubeconfig({ kubeconfig: write(dir, 'kc', stringify(kc)) }).user?.impersonate).toEqual({
      user: 'jane',
      uid: '42',
      groups: ['devs'],
      extra: { team: ['web'] },
    });
  });

  it('a context whose user is not defined connects without credentials, and says so', () => {
    const dir = tempDir();
    const kc = { ...kubeconfigObject('https://a.example:6443'), users: [] };
    const loaded = loadKubeconfig({ kubeconfig: write(dir, 'kc', stringify(kc)) });
    expect(loaded.user).toBeUndefined();
    expect(loaded.warnings).toEqual(['context "fake" names user "fake-user", which the kubeconfig does not define: connecting without credentials']);
  });

  it('refuses what kubectl refuses for the context in use, naming the file', () => {
    const dir = tempDir();
    const both = kubeconfigObject('https://a.example:6443', { cluster: { 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'eA==' } });
    expect(thrown(() => loadKubeconfig({ kubeconfig: write(dir, 'kc', stringify(both)) })).message).toContain(
      'specifying a root certificates file with the insecure flag is not allowed',
    );
    const missingCa = kubeconfigObject('https://a.example:6443', { cluster: { 'certificate-authority': 'nope.crt' } });
    expect(thrown(() => loadKubeconfig({ kubeconfig: write(dir, 'kc2', stringify(missingCa)) })).message).toBe(
      `cannot read the certificate-authority of cluster "fake-cluster": ${join(dir, 'nope.crt')} (ENOENT)`,
    );
    const bad = write(dir, 'bad', 'clusters: [\n');
    const err = thrown(() => loadKubeconfig({ kubeconfig: bad }));
    expect(err.code).toBe('kubeconfig-invalid');
    expect(err.oneLine()).toMatch(new RegExp(`^${bad}:\\d+: cannot read kubeconfig: `));
  });

  it('--kubeconfig reads only that file', () => {
    const dir = tempDir();
    const a = write(dir, 'a', kubeconfigYaml('https://a.example:6443', { context: 'alpha' }));
    const b = write(dir, 'b', kubeconfigYaml('https://b.example:6443', { context: 'beta' }));
    expect(thrown(() => loadKubeconfig({ kubeconfig: b, env: { KUBECONFIG: a }, context: 'alpha' })).message).toBe(
      '--context alpha is not in the kubeconfig (known: beta)',
    );
  });

  it.each([
    [{ kubeconfig: '/nonexistent/kc' }, 'input-unreadable', 2],
    [{ env: { KUBECONFIG: '/nonexistent/kc', HOME: '/nonexistent' } }, 'kubeconfig-missing', 4],
  ])('a missing kubeconfig is one clear error %j', (options, code, exitCode) => {
    expect(thrown(() => loadKubeconfig(options))).toMatchObject({ code, exitCode });
  });
});
