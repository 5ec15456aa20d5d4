import { Agent, buildConnector, ProxyAgent, type Dispatcher } from 'undici';
import type { ClientCert } from './credentials.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { proxyFor, type ProxyChoice } from './proxy.js';
import { trustAnchors, type TrustAnchors } from './trustStore.js';

/** TCP keepalive on API connections: a watch on a dead path fails in about a minute, not hours. */
const KEEPALIVE_MS = 30_000;

/**
 * The connection side of talking to the API server, set up as kubectl sets it up: TLS checked
 * against the anchors kubectl would use (trustStore.ts), `tls-server-name` for SNI and the name
 * check, `insecure-skip-tls-verify`, the proxy kubectl would pick (proxy.ts; CONNECT tunnels for
 * https:// servers), TCP keepalive, and one connection pool per client certificate (a credential
 * plugin may hand out a new one).
 */
export class ApiTransport {
  readonly proxy: ProxyChoice | undefined;
  readonly trust: TrustAnchors | undefined;
  private readonly url: URL;
  private readonly pools = new Map<string, Dispatcher>();

  constructor(
    private readonly loaded: LoadedKubeconfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.url = new URL(loaded.server);
    this.proxy = proxyFor(this.url, env, loaded.cluster);
    this.trust = this.url.protocol === 'https:' ? trustAnchors(loaded.cluster, env) : undefined;
  }

  dispatcher(clientCert?: ClientCert): Dispatcher {
    const key = clientCert ? clientCert.cert : '';
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = this.create(clientCert)));
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }

  private create(clientCert: ClientCert | undefined): Dispatcher {
    const cluster = this.loaded.cluster;
    const tls = {
      ...(this.trust?.ca ? { ca: this.trust.ca } : {}),
      rejectUnauthorized: !cluster.insecureSkipTlsVerify,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      ...(clientCert ? { cert: clientCert.cert, key: clientCert.key } : {}),
    };
    if (this.proxy) {
      // socks5h asks the proxy to resolve names; undici's SOCKS5 client always sends the name.
      const uri = this.proxy.url.replace(/^socks5h:/i, 'socks5:');
      return new ProxyAgent({ uri, requestTls: tls, proxyTunnel: this.url.protocol === 'https:' });
    }
    const connector = buildConnector({ ...tls, keepAlive: true, keepAliveInitialDelay: KEEPALIVE_MS });
    const servername = cluster.tlsServerName;
    // undici names the TLS server after the URL's host; tls-server-name must win, as in client-go.
    return new Agent({ connect: servername ? (opts, cb) => connector({ ...opts, servername }, cb) : connector });
  }
}
