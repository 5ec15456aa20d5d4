import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { ZerodropError } from '../errors.js';

/** How a credential plugin may use the terminal (clientcmd ExecInteractiveMode). */
export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** A client-go credential plugin (`users[].user.exec`). */
export interface ExecConfig {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode: ExecInteractiveMode;
}

export interface ClusterEntry {
  name: string;
  server: string;
  certificateAuthority?: string;
  /** PEM, base64-encoded as in the file. */
  certificateAuthorityData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** The `client.authentication.k8s.io/exec` extension, handed to plugins with provideClusterInfo. */
  execExtension?: unknown;
}

export interface Impersonation {
  user?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface UserEntry {
  name: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  exec?: ExecConfig;
  authProvider?: { name: string; config: Record<string, string> };
  impersonate?: Impersonation;
}

export interface ContextEntry {
  name: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface KubeconfigEntries {
  file: string;
  currentContext?: string;
  clusters: ClusterEntry[];
  users: UserEntry[];
  contexts: ContextEntry[];
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const record = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(record) : []);
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Reads one kubeconfig file the way clientcmd does: an empty file is an empty config; entries are
 * kept as they are, complete or not (only the context in use is validated, later); relative file
 * references (certificate-authority, client-certificate, client-key, token-file, and an exec
 * command containing a path separator) are resolved against the file's own directory
 * (client-go tools/clientcmd/loader.go, ResolveLocalPaths).
 */
export function readKubeconfigFile(file: string): KubeconfigEntries {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    throw new ZerodropError('kubeconfig-invalid', `cannot read kubeconfig: ${problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, {
      position: { file, ...(line === undefined ? {} : { line }) },
    });
  }
  const root = record(doc.toJS());
  const base = dirname(resolve(file));
  const path = (p: unknown) => {
    const s = str(p);
    return s === undefined ? undefined : isAbsolute(s) ? s : resolve(base, s);
  };
  return {
    file,
    ...defined({ currentContext: str(root['current-context']) }),
    clusters: list(root.clusters)
      .filter((e) => str(e.name) !== undefined)
      .map((e) => {
        const c = record(e.cluster);
        const exec = list(c.extensions).find((x) => x.name === 'client.authentication.k8s.io/exec');
        return defined({
          name: str(e.name)!,
          server: str(c.server) ?? '',
          certificateAuthority: path(c['certificate-authority']),
          certificateAuthorityData: str(c['certificate-authority-data']),
          insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
          tlsServerName: str(c['tls-server-name']),
          proxyUrl: str(c['proxy-url']),
          execExtension: exec?.extension,
        });
      }),
    users: list(root.users)
      .filter((e) => str(e.name) !== undefined)
      .map((e) => userEntry(str(e.name)!, record(e.user), path, base)),
    contexts: list(root.contexts)
      .filter((e) => str(e.name) !== undefined)
      .map((e) => {
        const c = record(e.context);
        return defined({ name: str(e.name)!, cluster: str(c.cluster), user: str(c.user), namespace: str(c.namespace) });
      }),
  };
}

function userEntry(name: string, u: Raw, path: (p: unknown) => string | undefined, base: string): UserEntry {
  const exec = record(u.exec);
  const command = str(exec.command);
  const provider = record(u['auth-provider']);
  const groups = Array.isArray(u['as-groups']) ? u['as-groups'].filter((g): g is string => typeof g === 'string') : [];
  const extra = Object.fromEntries(Object.entries(record(u['as-user-extra'])).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]])) as Record<
    string,
    string[]
  >;
  const impersonate = defined({ user: str(u.as), uid: str(u['as-uid']), groups, extra });
  return defined({
    name,
    token: str(u.token),
    tokenFile: path(u['token-file']),
    username: str(u.username),
    password: str(u.password),
    clientCertificate: path(u['client-certificate']),
    clientCertificateData: str(u['client-certificate-data']),
    clientKey: path(u['client-key']),
    clientKeyData: str(u['client-key-data']),
    exec:
      command === undefined
        ? undefined
        : defined({
            // A bare name is looked up on PATH; a path is relative to the kubeconfig's directory.
            command: command.includes('/') || command.includes(sep) ? (isAbsolute(command) ? command : resolve(base, command)) : command,
            args: Array.isArray(exec.args) ? exec.args.map(String) : [],
            env: list(exec.env)
              .filter((v) => str(v.name) !== undefined)
              .map((v) => ({ name: str(v.name)!, value: typeof v.value === 'string' ? v.value : '' })),
            apiVersion: str(exec.apiVersion) ?? '',
            installHint: str(exec.installHint),
            provideClusterInfo: exec.provideClusterInfo === true,
            interactiveMode: interactiveMode(exec.interactiveMode),
          }),
    authProvider: str(provider.name)
      ? { name: str(provider.name)!, config: Object.fromEntries(Object.entries(record(provider.config)).map(([k, v]) => [k, String(v)])) }
      : undefined,
    impersonate: impersonate.user || impersonate.uid || groups.length > 0 || Object.keys(extra).length > 0 ? impersonate : undefined,
  });
}

/** Unset means IfAvailable, as clientcmd defaults it for v1beta1 plugins. */
function interactiveMode(v: unknown): ExecInteractiveMode {
  return v === 'Never' || v === 'Always' ? v : 'IfAvailable';
}
