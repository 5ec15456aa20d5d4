/**
 * A throwaway PKI for the HTTPS fake, made at test time with openssl (nothing private is
 * committed): a CA, an API server certificate for 127.0.0.1, localhost and kube.zerodrop.test (a
 * name only the tests' proxy resolves), a client certificate the fake accepts, and a second CA
 * that signs nothing the fake trusts. EC P-256 keys keep generation to a few milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROXY_ONLY_HOST = 'kube.zerodrop.test';
export const CLIENT_CERT_USER = 'ci-deployer';

export interface TestPki {
  dir: string;
  caFile: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertFile: string;
  clientKeyFile: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A CA the fake's certificate does not chain to. */
  otherCaFile: string;
}

let cached: TestPki | undefined;

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function testPki(): TestPki {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  const ca = (name: string, cn: string) => {
    key(name);
    ssl(
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  };
  const leaf = (name: string, subject: string, ext: string) => {
    key(name);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-extfile',
      `${name}.ext`,
    );
  };
  ca('ca', 'zerodrop-test-ca');
  ca('other-ca', 'zerodrop-unrelated-ca');
  leaf(
    'server',
    '/CN=kube-apiserver',
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${PROXY_ONLY_HOST}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`,
  );
  leaf('client', `/O=zerodrop-testers/CN=${CLIENT_CERT_USER}`, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  cached = {
    dir,
    caFile: join(dir, 'ca.crt'),
    caPem: read('ca.crt'),
    // The chain as many servers send it: leaf, then the CA.
    serverCertPem: read('server.crt') + read('ca.crt'),
    serverKeyPem: read('server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    clientCertPem: read('client.crt'),
    clientKeyPem: read('client.key'),
    otherCaFile: join(dir, 'other-ca.crt'),
  };
  return cached;
}
