import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_TOKEN } from './fakeKubeApi.js';
import { fakeClusters, rejection, runCli, writeKubeconfig } from './cli.js';
import { tokenPlugin, writePlugin, credentialJson } from './helpers/execPlugins.js';
import { KubeApiClient, type ClientOptions } from '../../src/cluster/apiClient.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { RESOURCES, resourcePath } from '../../src/cluster/resources.js';

const cluster = fakeClusters();
const clients: KubeApiClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

const call = { verb: 'get' as const, resource: RESOURCES.deployments, namespace: 'shop', name: 'web' };
const path = resourcePath(RESOURCES.deployments, 'shop', 'web');

function client(kubeconfig: string, options: ClientOptions = {}): KubeApiClient {
  const c = new KubeApiClient(loadKubeconfig({ kubeconfig }), options);
  clients.push(c);
  return c;
}

/** A terminal-less run whose plugin stderr the test can read. */
function quietIO(stdinIsTerminal = false, stdin: NodeJS.ReadableStream = Readable.from([])) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (d: Buffer) => (text += d.toString()));
  return { io: { stdin, stderr, stdinIsTerminal }, stderr: () => text };
}

const execUser = (command: string, extra: Record<string, unknown> = {}) => ({
  user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, interactiveMode: 'IfAvailable', ...extra } },
});

describe('exec credential plugins, as client-go runs them', () => {
  it('passes KUBERNETES_EXEC_INFO with the cluster when asked, sets its env, and runs once for many requests when the credential has no expiry', async () => {
    const { fake, dir } = await cluster();
    const seen = join(dir, 'seen');
    const plugin = writePlugin(dir, 'get-token', `echo "$AWS_PROFILE $*" > '${seen}'\ncat <<'JSON'\n${credentialJson({ token: FAKE_TOKEN })}\nJSON`);
    const kubeconfig = writeKubeconfig(
      dir,
      fake.url,
      execUser(plugin.command, { provideClusterInfo: true, env: [{ name: 'AWS_PROFILE', value: 'prod' }], args: ['--region', 'eu'] }),
      'kc',
    );
    const { io } = quietIO();
    const c = client(kubeconfig, { exec: { io } });
    for (let i = 0; i < 5; i++) await c.rawJson(call, path);
    expect(plugin.runs()).toBe(1);
    expect(readFileSync(seen, 'utf8')).toBe('prod --region eu\n');
    expect(plugin.execInfo()).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: { interactive: false, cluster: { server: fake.url } },
    });
    expect(fake.requests.filter((r) => r.path === path).map((r) => r.headers.authorization)).toEqual(Array(5).fill(`Bearer ${FAKE_TOKEN}`));
  });

  it('runs the plugin again when its credential has expired', async () => {
    const { fake, dir } = await cluster();
    const plugin = tokenPlugin(dir, 'expired', { token: FAKE_TOKEN, expirationTimestamp: '2020-01-01T00:00:00Z' });
    const c = client(writeKubeconfig(dir, fake.url, execUser(plugin.command), 'kc'), { exec: quietIO() });
    for (let i = 0; i < 3; i++) await c.rawJson(call, path);
    expect(plugin.runs()).toBe(3);
  });

  it('after a 401 runs the plugin once more and retries with the new token; a second 401 is reported, naming the plugin', async () => {
    const { fake, dir } = await cluster();
    // First run: a token the server no longer accepts; later runs: a good one.
    const rotating = writePlugin(
      dir,
      'rotating',
      `if [ "$(wc -l < '${join(dir, 'rotating.runs')}')" -gt 1 ]; then T='${FAKE_TOKEN}'; else T=stale; fi\nprintf '${credentialJson({ token: 'TOKEN' }).replace('TOKEN', '%s')}' "$T"`,
    );
    const c = client(writeKubeconfig(dir, fake.url, execUser(rotating.command), 'kc'), { exec: quietIO() });
    await c.rawJson(call, path);
    expect(rotating.runs()).toBe(2);
    expect(fake.requests.filter((r) => r.path === path).map((r) => r.headers.authorization)).toEqual(['Bearer stale', `Bearer ${FAKE_TOKEN}`]);

    const revoked = tokenPlugin(dir, 'revoked', { token: 'revoked' });
    const r = client(writeKubeconfig(dir, fake.url, execUser(revoked.command), 'kc2'), { exec: quietIO() });
    const err = await rejection(r.json(call, path));
    expect(revoked.runs()).toBe(2);
    expect(err.code).toBe('cluster-unauthorized');
    expect(err.message).toContain(
      `rejected our credentials (401) for context "fake" from the credential plugin "${revoked.command}", even after asking for them again`,
    );
  });

  it("a failing plugin (an expired SSO login) is reported as the plugin's failure with its own words and the vendor's fix, and its stderr reaches the user", async () => {
    const { fake, dir } = await cluster();
    const aws = writePlugin(dir, 'aws', "echo 'Error loading SSO Token: Token for my-sso does not exist' >&2\nexit 255");
    const { io, stderr } = quietIO();
    const c = client(writeKubeconfig(dir, fake.url, execUser(aws.command, { args: ['eks', 'get-token', '--cluster-name', 'prod'] }), 'kc'), { exec: { io } });
    const err = await rejection(c.json(call, path));
    expect(err.code).toBe('cluster-exec-plugin-failed');
    expect(err.exitCode).toBe(4);
    expect(err.message).toBe(
      `the credential plugin "${aws.command} eks get-token --cluster-name prod" of context "fake" failed with exit code 255: Error loading SSO Token: Token for my-sso does not exist; Amazon EKS: log in again (aws sso login, or check AWS_PROFILE and your AWS credentials), then retry (https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html)`,
    );
    expect(stderr()).toBe('Error loading SSO Token: Token for my-sso does not exist\n');
    expect(fake.requests).toHaveLength(0);
  });

  it('a missing plugin says "executable not found" with its installHint (or the vendor install step)', async () => {
    const { fake, dir } = await cluster();
    const hinted = client(
      writeKubeconfig(dir, fake.url, execUser(join(dir, 'no-such-plugin'), { installHint: 'Install it with:\n  brew install example-auth' }), 'kc'),
      { exec: quietIO() },
    );
    const err = await rejection(hinted.json(call, path));
    expect(err.code).toBe('cluster-exec-plugin-missing');
    expect(err.message).toBe(
      `exec: executable ${join(dir, 'no-such-plugin')} not found: context "fake" gets its credentials from this client-go credential plugin, which is not installed or not on PATH; Install it with: brew install example-auth`,
    );
    const gke = client(writeKubeconfig(dir, fake.url, execUser(join(dir, 'gke-gcloud-auth-plugin')), 'kc2'), { exec: quietIO() });
    expect((await rejection(gke.json(call, path))).message).toContain('Google GKE: install it (gcloud components install gke-gcloud-auth-plugin)');
  });

  it('a plugin that waits for a login nobody can see times out with a clear message, and is killed', async () => {
    const { fake, dir } = await cluster();
    const pidFile = join(dir, 'prompt.pid');
    const prompt = writePlugin(
      dir,
      'kubelogin',
      `echo $$ > '${pidFile}'\necho 'To sign in, open https://microsoft.com/devicelogin and enter the code ABCD1234' >&2\nexec sleep 30`,
    );
    const { io, stderr } = quietIO();
    const c = client(writeKubeconfig(dir, fake.url, execUser(prompt.command, { args: ['get-token'] }), 'kc'), { exec: { io, timeoutMs: 800 } });
    const started = Date.now();
    const err = await rejection(c.json(call, path));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.code).toBe('cluster-exec-plugin-timeout');
    expect(err.message).toContain(
      `the credential plugin "${prompt.command} get-token" of context "fake" gave no credential within 1 s (stdin is not a terminal, so it cannot prompt)`,
    );
    expect(err.message).toContain('az login');
    expect(stderr()).toContain('enter the code ABCD1234');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('on a terminal the plugin gets stdin and interactive: true; with interactiveMode Never it gets neither', async () => {
    const { fake, dir } = await cluster();
    fake.acceptedTokens.add('code-424242');
    const reader = writePlugin(dir, 'reads-code', `read CODE\nprintf '${credentialJson({ token: 'TOKEN' }).replace('TOKEN', 'code-%s')}' "$CODE"`);
    const terminal = quietIO(true, Readable.from(['424242\n']));
    await client(writeKubeconfig(dir, fake.url, execUser(reader.command), 'kc'), { exec: terminal }).rawJson(call, path);
    expect(reader.execInfo()?.spec).toEqual({ interactive: true });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer code-424242');

    const never = writePlugin(
      dir,
      'never',
      `if read CODE; then T=got-stdin; else T='${FAKE_TOKEN}'; fi\nprintf '${credentialJson({ token: 'TOKEN' }).replace('TOKEN', '%s')}' "$T"`,
    );
    await client(writeKubeconfig(dir, fake.url, execUser(never.command, { interactiveMode: 'Never' }), 'kc2'), {
      exec: quietIO(true, Readable.from(['424242\n'])),
    }).rawJson(call, path);
    expect(never.execInfo()?.spec).toEqual({ interactive: false });
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });

  it('through the CLI: exit 4, the plugin named, its stderr on the terminal, nothing changed', async () => {
    const { fake, dir } = await cluster();
    const gke = writePlugin(dir, 'gke-gcloud-auth-plugin', "echo 'ERROR: (gcloud.auth) You do not currently have an active account selected.' >&2\nexit 1");
    const kubeconfig = writeKubeconfig(dir, fake.url, execUser(gke.command), 'kc');
    const r = await runCli(['rollout', 'deployment/web', '--kubeconfig', kubeconfig, '--url', fake.frontUrl, '--restart']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('ERROR: (gcloud.auth) You do not currently have an active account selected.\n');
    expect(r.stderr).toContain(
      `error[cluster-exec-plugin-failed]: the credential plugin "${gke.command}" of context "fake" failed with exit code 1: ERROR: (gcloud.auth)`,
    );
    expect(r.stderr).toContain('Google GKE: log in again (gcloud auth login)');
    expect(r.stderr).not.toContain('cannot reach');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('tokens, basic auth and impersonation, as kubectl sends them', () => {
  it('a token-file with a trailing newline, relative to the kubeconfig, is trimmed; it is read again after a 401', async () => {
    const { fake, dir } = await cluster();
    writeFileSync(join(dir, 'token'), 'rotated-away\n');
    const c = client(writeKubeconfig(dir, fake.url, { user: { 'token-file': 'token' } }, 'kc'));
    // The owner rotates the file (as the kubelet does a projected token) while we hold the old one.
    fake.acceptedTokens.add('rotated-away');
    await c.rawJson(call, path);
    fake.acceptedTokens.delete('rotated-away');
    writeFileSync(join(dir, 'token'), `${FAKE_TOKEN}\n`);
    await c.rawJson(call, path);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer rotated-away', 'Bearer rotated-away', `Bearer ${FAKE_TOKEN}`]);
  });

  it('as, as-uid, as-groups and as-user-extra become impersonation headers', async () => {
    const { fake, dir } = await cluster({ forbid: [{ verb: 'get', resource: 'deployments' }] });
    const kubeconfig = writeKubeconfig(
      dir,
      fake.url,
      {
        user: { token: FAKE_TOKEN, as: 'jane', 'as-uid': 'u-1', 'as-groups': ['devs', 'oncall'], 'as-user-extra': { 'reason.example.com': ['rollout check'] } },
      },
      'kc',
    );
    const err = await rejection(client(kubeconfig).json(call, path));
    const sent = fake.requests[0]!;
    expect(sent.headers.impersonate).toEqual({
      'impersonate-user': ['jane'],
      'impersonate-uid': ['u-1'],
      'impersonate-group': ['devs', 'oncall'],
      'impersonate-extra-reason.example.com': ['rollout check'],
    });
    // The authorizer judged the impersonated user, and the message says so.
    expect(err.message).toContain('User "jane" cannot get resource "deployments"');
  });

  it("a User-Agent in kubectl's shape names zerodrop and its version", async () => {
    const { fake, kubeconfig } = await cluster();
    await client(kubeconfig).rawJson(call, path);
    expect(fake.requests[0]!.headers.userAgent).toMatch(/^zerodrop\/\d+\.\d+\.\d+ \(linux\/x64\) node\/v\d+/);
  });
});
