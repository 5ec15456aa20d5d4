import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, afterEach } from 'vitest';
import { CLIENT_CERT_USER, FAKE_TOKEN, FAKE_USER, PROXY_ONLY_HOST, testPki } from './fakeKubeApi.js';
import { fakeClusters, rejection, writeKubeconfig } from './cli.js';
import { LoopbackProxy } from './helpers/loopbackProxy.js';
import { KubeApiClient } from '../../src/cluster/apiClient.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { noProxyMatches, proxyFor } from '../../src/cluster/proxy.js';
import { RESOURCES, resourcePath } from '../../src/cluster/resources.js';

const cluster = fakeClusters();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const call = { verb: 'get' as const, resource: RESOURCES.deployments, namespace: 'shop', name: 'web' };
const path = resourcePath(RESOURCES.deployments, 'shop', 'web');
/** An environment with no proxy and a system trust store that is only the file given. */
const isolated = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ SSL_CERT_FILE: testPki().otherCaFile, ...extra });

function client(kubeconfig: string, env: NodeJS.ProcessEnv = isolated()): KubeApiClient {
  const c = new KubeApiClient(loadKubeconfig({ kubeconfig }), { env });
  cleanups.push(() => c.close());
  return c;
}

async function proxy(options: ConstructorParameters<typeof LoopbackProxy>[0] = {}): Promise<LoopbackProxy> {
  const p = await new LoopbackProxy(options).start();
  cleanups.push(() => p.close());
  return p;
}

describe('TLS like kubectl: the kubeconfig CA, else the system trust store', () => {
  it('certificate-authority (relative to the kubeconfig) with a token', async () => {
    const { fake, dir } = await cluster({ tls: true });
    copyFileSync(fake.pki!.caFile, `${dir}/ca.crt`);
    await client(writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': 'ca.crt' } }, 'kc')).rawJson(call, path);
    expect(fake.requests[0]).toMatchObject({ user: FAKE_USER, headers: { authorization: `Bearer ${FAKE_TOKEN}` } });
  });

  it('certificate-authority-data and a client certificate: the server knows us by the certificate', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const pki = fake.pki!;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const kubeconfig = writeKubeconfig(
      dir,
      fake.url,
      {
        cluster: { 'certificate-authority-data': b64(pki.caPem) },
        user: { 'client-certificate-data': b64(pki.clientCertPem), 'client-key': pki.clientKeyFile },
      },
      'kc',
    );
    await client(kubeconfig).rawJson(call, path);
    expect(fake.requests[0]).toMatchObject({ user: CLIENT_CERT_USER });
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('without a CA in the kubeconfig, trusts the system store (SSL_CERT_FILE, as Go reads it)', async () => {
    const { fake, dir } = await cluster({ tls: true });
    await client(writeKubeconfig(dir, fake.url, {}, 'kc'), isolated({ SSL_CERT_FILE: fake.pki!.caFile })).rawJson(call, path);
    expect(fake.requests).toHaveLength(1);
  });

  it('a certificate no trusted CA vouches for is a CA problem that names the store checked, not "cannot reach"', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const err = await rejection(client(writeKubeconfig(dir, fake.url, {}, 'kc')).json(call, path));
    expect(err.code).toBe('cluster-ca-untrusted');
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain(
      `the API server at ${fake.url} (context "fake") presented a certificate that the system trust store (${testPki().otherCaFile}) does not vouch for (SELF_SIGNED_CERT_IN_CHAIN`,
    );
    expect(err.message).toContain('certificate-authority-data');
    expect(err.message).not.toContain('cannot reach');

    const stale = await rejection(
      client(writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': testPki().otherCaFile } }, 'kc2')).json(call, path),
    );
    expect(stale.code).toBe('cluster-ca-untrusted');
    expect(stale.message).toContain("the kubeconfig's CA does not match this server");
  });

  it('tls-server-name picks the name the certificate is checked against', async () => {
    const { fake, dir } = await cluster({ tls: true });
    await client(writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': fake.pki!.caFile, 'tls-server-name': PROXY_ONLY_HOST } }, 'kc')).rawJson(
      call,
      path,
    );
    const err = await rejection(
      client(
        writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': fake.pki!.caFile, 'tls-server-name': 'api.elsewhere.example' } }, 'kc2'),
      ).json(call, path),
    );
    expect(err.code).toBe('cluster-tls-name-mismatch');
    expect(err.message).toContain("Host: api.elsewhere.example. is not in the cert's altnames");
  });

  it('insecure-skip-tls-verify connects without any CA', async () => {
    const { fake, dir } = await cluster({ tls: true });
    await client(writeKubeconfig(dir, fake.url, { cluster: { 'insecure-skip-tls-verify': true } }, 'kc')).rawJson(call, path);
    expect(fake.requests).toHaveLength(1);
  });

  it('in a pod: the mounted service-account CA, token (trimmed) and namespace', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const sa = `${dir}/serviceaccount`;
    mkdirSync(sa);
    writeFileSync(`${sa}/token`, `${FAKE_TOKEN}\n`);
    writeFileSync(`${sa}/ca.crt`, readFileSync(fake.pki!.caFile));
    writeFileSync(`${sa}/namespace`, 'shop');
    const loaded = loadKubeconfig({
      env: { HOME: dir, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(fake.port) },
      serviceAccountDir: sa,
    });
    expect(loaded).toMatchObject({ server: fake.url, namespace: 'shop', inCluster: true });
    const c = new KubeApiClient(loaded, { env: isolated() });
    cleanups.push(() => c.close());
    await c.rawJson(call, path);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });
});

describe('proxies like kubectl: proxy-url, else HTTPS_PROXY / HTTP_PROXY unless NO_PROXY', () => {
  it('HTTPS_PROXY tunnels to a name only the proxy can resolve', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const p = await proxy({ hosts: { [PROXY_ONLY_HOST]: '127.0.0.1' } });
    const server = `https://${PROXY_ONLY_HOST}:${fake.port}`;
    await client(writeKubeconfig(dir, server, { cluster: { 'certificate-authority': fake.pki!.caFile } }, 'kc'), isolated({ HTTPS_PROXY: p.url })).rawJson(
      call,
      path,
    );
    expect(p.connects).toEqual([`${PROXY_ONLY_HOST}:${fake.port}`]);
    expect(fake.requests).toHaveLength(1);
  });

  it('proxy-url in the kubeconfig wins, even for a loopback server', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const p = await proxy();
    const other = await proxy();
    await client(
      writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': fake.pki!.caFile, 'proxy-url': p.url } }, 'kc'),
      isolated({ HTTPS_PROXY: other.url }),
    ).rawJson(call, path);
    expect(p.connects).toEqual([`127.0.0.1:${fake.port}`]);
    expect(other.connects).toEqual([]);
  });

  it('a proxy that refuses the tunnel, or is down, is named as the cause', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const refusing = await proxy({ refuse: 403 });
    const kc = (proxyUrl: string, name: string) =>
      writeKubeconfig(dir, fake.url, { cluster: { 'certificate-authority': fake.pki!.caFile, 'proxy-url': proxyUrl } }, name);
    const refused = await rejection(client(kc(refusing.url, 'kc')).json(call, path));
    expect(refused.code).toBe('cluster-proxy');
    expect(refused.message).toContain(
      `the proxy ${refusing.url} (from proxy-url of cluster "fake-cluster") refused to connect us to the API server at ${fake.url} (context "fake"): it answered 403 to CONNECT`,
    );
    const down = await rejection(client(kc('http://127.0.0.1:9', 'kc2')).json(call, path));
    expect(down.code).toBe('cluster-proxy');
    expect(down.message).toContain('through the proxy http://127.0.0.1:9 (from proxy-url of cluster "fake-cluster"): ECONNREFUSED');
  });

  it('credentials never go over plain http:// off this machine (here: through HTTP_PROXY), but do to loopback', async () => {
    const { fake, dir } = await cluster();
    const p = await proxy({ hosts: { [PROXY_ONLY_HOST]: '127.0.0.1' } });
    const remote = client(writeKubeconfig(dir, `http://${PROXY_ONLY_HOST}:${fake.port}`, {}, 'kc'), isolated({ HTTP_PROXY: p.url }));
    await remote.rawJson(call, path);
    expect(p.forwarded).toEqual([`http://${PROXY_ONLY_HOST}:${fake.port}${path}`]);
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(remote.notes).toContain(
      `http://${PROXY_ONLY_HOST}:${fake.port} is plain http:// and not on this machine: no credentials are sent to it (as kubectl does)`,
    );
    await client(writeKubeconfig(dir, fake.url, {}, 'kc2')).rawJson(call, path);
    expect(fake.requests[1]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });

  it.each([
    ['https://api.corp.example:6443', { HTTPS_PROXY: 'proxy:3128' }, 'http://proxy:3128'],
    ['https://api.corp.example:6443', { https_proxy: 'http://p:1' }, 'http://p:1'],
    ['https://api.corp.example:6443', { HTTP_PROXY: 'http://p:1' }, undefined],
    ['http://api.corp.example', { HTTP_PROXY: 'http://p:1' }, 'http://p:1'],
    ['https://127.0.0.1:6443', { HTTPS_PROXY: 'http://p:1' }, undefined],
    ['https://localhost:6443', { HTTPS_PROXY: 'http://p:1' }, undefined],
    ['https://api.corp.example:6443', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp.example' }, undefined],
    ['https://10.1.2.3:6443', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' }, undefined],
    ['https://10.1.2.3:6443', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '192.168.0.0/16,api.corp.example' }, 'http://p:1'],
  ] as const)('%s with %j goes through %s', (server, env, expected) => {
    expect(proxyFor(new URL(server), env, { name: 'c' })?.url).toBe(expected);
  });

  it.each([
    ['example.com', 'example.com', '443', true],
    ['example.com', 'api.example.com', '443', true],
    ['.example.com', 'example.com', '443', false],
    ['*.example.com', 'api.example.com', '443', true],
    ['example.com:6443', 'example.com', '443', false],
    ['example.com:6443', 'example.com', '6443', true],
    ['notexample.com', 'example.com', '443', false],
    ['*', 'anything', '1', true],
    ['10.0.0.0/8', 'api.example.com', '443', false],
  ])('NO_PROXY %s matches %s:%s: %s', (noProxy, host, port, matches) => {
    expect(noProxyMatches(noProxy, host, port)).toBe(matches);
  });
});
