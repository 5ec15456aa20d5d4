/**
 * Ingress controllers and edge proxies as the audit reads them: which container runs one (by the
 * exact image repository of src/k8s/imageTable.ts, or the controller's own executable), the
 * settings that decide how it shuts down and how long it keeps idle upstream connections, read
 * from its flags, its ConfigMap or its static configuration file when the input has them, and
 * the defaults that apply otherwise (one table, `EDGE_DEFAULTS`, each row with its source). Pure:
 * objects in, settings out (docs/reference/edge-proxies.md).
 */
import { configMapNamed } from './configMaps.js';
import { parseImageRef } from './imageRef.js';
import { knownImage } from './images.js';
import { mountedFileLookup, type MountedFile } from './mountedFiles.js';
import type { Container, KubeObject } from './objects.js';
import { executableName } from './servers.js';

export type EdgeProxy = 'ingress-nginx' | 'traefik' | 'envoy';

export type EdgeSettingId =
  | 'ingress-nginx/shutdown-grace-period'
  | 'ingress-nginx/worker-shutdown-timeout'
  | 'ingress-nginx/upstream-keepalive-timeout'
  | 'ingress-nginx/proxy-read-timeout'
  | 'ingress-nginx/proxy-send-timeout'
  | 'traefik/requestAcceptGraceTimeout'
  | 'traefik/graceTimeOut'
  | 'aws-alb/idle_timeout.timeout_seconds'
  | 'gcp-alb/backend-keepalive';

export interface EdgeDefault {
  id: EdgeSettingId;
  /** The setting as the user writes it (flag, ConfigMap key, static-configuration option, attribute). */
  setting: string;
  /** Where it is written. */
  where: string;
  /** Its default, in seconds. */
  seconds: number;
  /** What it does, for messages. */
  meaning: string;
  source: string;
}

const INGRESS_NGINX_CONFIGMAP_DOC = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/';

/** The defaults of the edge settings the rules read, one row each with its upstream source. */
export const EDGE_DEFAULTS: Readonly<Record<EdgeSettingId, EdgeDefault>> = {
  'ingress-nginx/shutdown-grace-period': {
    id: 'ingress-nginx/shutdown-grace-period',
    setting: '--shutdown-grace-period',
    where: 'controller flag',
    seconds: 0,
    meaning: 'seconds the controller keeps nginx serving after SIGTERM before it runs nginx -s quit (its /healthz fails meanwhile)',
    source: 'https://github.com/kubernetes/ingress-nginx/blob/main/pkg/flags/flags.go',
  },
  'ingress-nginx/worker-shutdown-timeout': {
    id: 'ingress-nginx/worker-shutdown-timeout',
    setting: 'worker-shutdown-timeout',
    where: 'controller ConfigMap',
    seconds: 240,
    meaning: 'how long nginx workers wait for open connections after nginx -s quit before they close them',
    source: `${INGRESS_NGINX_CONFIGMAP_DOC}#worker-shutdown-timeout`,
  },
  'ingress-nginx/upstream-keepalive-timeout': {
    id: 'ingress-nginx/upstream-keepalive-timeout',
    setting: 'upstream-keepalive-timeout',
    where: 'controller ConfigMap',
    seconds: 60,
    meaning: 'how long an idle keep-alive connection to a backend pod stays open for reuse',
    source: `${INGRESS_NGINX_CONFIGMAP_DOC}#upstream-keepalive-timeout`,
  },
  'ingress-nginx/proxy-read-timeout': {
    id: 'ingress-nginx/proxy-read-timeout',
    setting: 'proxy-read-timeout',
    where: 'controller ConfigMap or nginx.ingress.kubernetes.io/proxy-read-timeout',
    seconds: 60,
    meaning: 'how long nginx waits between two reads from the backend before it closes the connection',
    source: `${INGRESS_NGINX_CONFIGMAP_DOC}#proxy-read-timeout`,
  },
  'ingress-nginx/proxy-send-timeout': {
    id: 'ingress-nginx/proxy-send-timeout',
    setting: 'proxy-send-timeout',
    where: 'controller ConfigMap or nginx.ingress.kubernetes.io/proxy-send-timeout',
    seconds: 60,
    meaning: 'how long nginx waits between two writes to the backend before it closes the connection',
    source: `${INGRESS_NGINX_CONFIGMAP_DOC}#proxy-send-timeout`,
  },
  'traefik/requestAcceptGraceTimeout': {
    id: 'traefik/requestAcceptGraceTimeout',
    setting: 'entryPoints.<name>.transport.lifeCycle.requestAcceptGraceTimeout',
    where: 'static configuration',
    seconds: 0,
    meaning: 'how long Traefik keeps accepting requests after SIGTERM before it closes its listeners (its ping answers 503 meanwhile)',
    source: 'https://doc.traefik.io/traefik/reference/install-configuration/entrypoints/',
  },
  'traefik/graceTimeOut': {
    id: 'traefik/graceTimeOut',
    setting: 'entryPoints.<name>.transport.lifeCycle.graceTimeOut',
    where: 'static configuration',
    seconds: 10,
    meaning: 'how long Traefik lets active requests finish once its listeners are closed',
    source: 'https://doc.traefik.io/traefik/reference/install-configuration/entrypoints/',
  },
  'aws-alb/idle_timeout.timeout_seconds': {
    id: 'aws-alb/idle_timeout.timeout_seconds',
    setting: 'idle_timeout.timeout_seconds',
    where: 'alb.ingress.kubernetes.io/load-balancer-attributes',
    seconds: 60,
    meaning: 'how long the ALB keeps an idle connection, to the client and to the target, open for reuse',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout',
  },
  'gcp-alb/backend-keepalive': {
    id: 'gcp-alb/backend-keepalive',
    setting: 'backend keepalive timeout',
    where: 'fixed by Google Cloud',
    seconds: 600,
    meaning: 'how long the Application Load Balancer keeps an idle connection to a backend open for reuse',
    source: 'https://cloud.google.com/load-balancing/docs/https#timeouts_and_retries',
  },
};

/** The image-table rows that run each edge proxy (matched by exact repository in src/k8s/images.ts). */
const PROXY_OF_IMAGE_ROW: Readonly<Record<string, EdgeProxy>> = {
  'ingress-nginx-controller': 'ingress-nginx',
  traefik: 'traefik',
  'traefik-project-image': 'traefik',
  envoy: 'envoy',
  'envoy-distroless': 'envoy',
};

/** The container's argv as written (command then args), strings only. */
export function containerArgv(c: Container): string[] {
  const command = Array.isArray(c.command) ? c.command.map(String) : [];
  const args = Array.isArray(c.args) ? c.args.map(String) : [];
  return [...command, ...args];
}

/**
 * The edge proxy a container runs: by its image's table row, else (for ingress-nginx and
 * Traefik, whose images are often mirrored) by the controller's executable as the first word.
 */
export function edgeProxyOf(c: Container): EdgeProxy | undefined {
  if (typeof c.image === 'string') {
    const row = knownImage(parseImageRef(c.image));
    if (row && PROXY_OF_IMAGE_ROW[row.id]) return PROXY_OF_IMAGE_ROW[row.id];
  }
  const first = containerArgv(c)[0];
  if (first === undefined) return undefined;
  const exe = executableName(first);
  if (exe === 'nginx-ingress-controller') return 'ingress-nginx';
  if (exe === 'traefik') return 'traefik';
  return undefined;
}

/**
 * Seconds of a duration as nginx and Go configuration write it: `240s`, `1m30s`, `500ms`, `2h`,
 * or a bare number, which both read as seconds (nginx time syntax; Traefik's raw values).
 */
export function configDurationSeconds(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) return undefined;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

/** A flag's value (`--flag=v` or `--flag v`), the last one written winning, matched case-insensitively when asked. */
export function flagValue(argv: readonly string[], flag: string, ignoreCase = false): string | undefined {
  const same = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && same(a.slice(0, eq), flag)) value = a.slice(eq + 1);
    else if (same(a, flag) && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) value = argv[i + 1];
  }
  return value;
}

/** `$(VAR)` references expanded from the container's env the way the kubelet does (values and the namespace field). */
export function expandEnvRefs(text: string, c: Container, namespace: string): string {
  const env = Array.isArray(c.env) ? (c.env as Array<Record<string, unknown>>) : [];
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
    const e = env.find((x) => x.name === name);
    if (!e) return whole;
    if (typeof e.value === 'string') return e.value;
    const fieldPath = (e.valueFrom as { fieldRef?: { fieldPath?: unknown } } | undefined)?.fieldRef?.fieldPath;
    return fieldPath === 'metadata.namespace' ? namespace : whole;
  });
}

export interface ObjectRef {
  namespace: string;
  name: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const nsOf = (o: KubeObject) => (typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default');

/** A setting as it applies: its value in seconds and where it came from. */
export interface ResolvedSetting {
  seconds: number;
  /** `flag`/`configmap`/`file`/`annotation`: written in the input; `default`: the table's default applies. */
  from: 'flag' | 'configmap' | 'file' | 'annotation' | 'default';
  /** What a message says about where the value came from ("ConfigMap ingress-nginx/ingress-nginx-controller", "the default"). */
  origin: string;
  /** Set when the default is assumed because the object that would say otherwise is not in the input. */
  assumption?: string;
  /** Where in the input the value is written, when it is. */
  at?: { object: KubeObject; path: Array<string | number> };
}

export interface IngressNginxController {
  /** `--shutdown-grace-period` (default 0). */
  shutdownGracePeriod: ResolvedSetting;
  /** The ConfigMap named by `--configmap`, resolved. */
  configMapRef?: ObjectRef;
  configMap?: KubeObject;
  /** `--ingress-class` (default `nginx`). */
  ingressClass: string;
}

/** What the ingress-nginx controller container's flags say, with its ConfigMap when the input has it. */
export function ingressNginxController(c: Container, namespace: string, objects: readonly KubeObject[]): IngressNginxController {
  const argv = containerArgv(c).map((a) => expandEnvRefs(a, c, namespace));
  const def = EDGE_DEFAULTS['ingress-nginx/shutdown-grace-period'];
  const sgpText = flagValue(argv, '--shutdown-grace-period');
  const sgp = sgpText !== undefined ? configDurationSeconds(sgpText) : undefined;
  const shutdownGracePeriod: ResolvedSetting =
    sgp !== undefined
      ? { seconds: sgp, from: 'flag', origin: `--shutdown-grace-period=${sgpText}` }
      : { seconds: def.seconds, from: 'default', origin: 'the default' };
  const cmText = flagValue(argv, '--configmap');
  let configMapRef: ObjectRef | undefined;
  if (cmText && !cmText.includes('$(')) {
    const [a, b] = cmText.split('/');
    configMapRef = b !== undefined ? { namespace: a!, name: b } : { namespace, name: a! };
  }
  const configMap = configMapRef ? configMapNamed(objects, configMapRef.namespace, configMapRef.name) : undefined;
  return {
    shutdownGracePeriod,
    ...(configMapRef ? { configMapRef } : {}),
    ...(configMap ? { configMap } : {}),
    ingressClass: flagValue(argv, '--ingress-class') ?? 'nginx',
  };
}

/** A key of the ingress-nginx ConfigMap in seconds, else its default, saying which and why. */
export function ingressNginxSetting(
  controller: Pick<IngressNginxController, 'configMap' | 'configMapRef'> | undefined,
  id: Extract<EdgeSettingId, `ingress-nginx/${string}`>,
): ResolvedSetting {
  const def = EDGE_DEFAULTS[id];
  const key = def.setting;
  const data = controller?.configMap && isRecord(controller.configMap.data) ? controller.configMap.data : undefined;
  const raw = data?.[key];
  const parsed = raw !== undefined ? configDurationSeconds(String(raw)) : undefined;
  if (controller?.configMap && parsed !== undefined) {
    return {
      seconds: parsed,
      from: 'configmap',
      origin: `${key}: "${String(raw)}" in ConfigMap ${nsOf(controller.configMap)}/${String(controller.configMap.metadata?.name)}`,
      at: { object: controller.configMap, path: ['data', key] },
    };
  }
  // A controller without --configmap reads no ConfigMap: the default is a fact, not an assumption.
  const ref = controller?.configMapRef;
  const assumption = !controller
    ? `the ingress-nginx controller and its ConfigMap are not in the input, so the default ${key} of ${def.seconds} s is assumed`
    : ref && !controller.configMap
      ? `ConfigMap ${ref.namespace}/${ref.name} (--configmap) is not in the input, so the default ${key} of ${def.seconds} s is assumed`
      : undefined;
  return { seconds: def.seconds, from: 'default', origin: 'the default', ...(assumption ? { assumption } : {}) };
}

export interface TraefikLifecycle {
  /** Per entry point: its port, how long it keeps accepting after SIGTERM, then how long it lets requests finish. */
  entryPoints: Array<{ name: string; port: number | undefined; requestAcceptGraceTimeout: ResolvedSetting; graceTimeOut: ResolvedSetting }>;
  /** Where the static configuration was read from: the CLI arguments or a file of a ConfigMap. */
  source: string;
}

interface VolumeMount {
  name?: unknown;
  mountPath?: unknown;
  subPath?: unknown;
}

/** Parses YAML text (the caller's parser: src/k8s depends on no package); throws on malformed input. */
export type YamlParser = (text: string) => unknown;

/** `lifeCycle` values of each entry point in a Traefik YAML or TOML static configuration file. */
function lifecycleFromFile(text: string, path: string, parseYaml: YamlParser): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  // Traefik picks the format by the extension of the file it reads, whatever the ConfigMap key is called.
  if (/\.toml$/i.test(path)) {
    let section: string | undefined;
    let entryPoint: string | undefined;
    for (const line of text.split('\n')) {
      const header = /^\s*\[\s*entryPoints\.([^.\]]+)\.transport\.lifeCycle\s*\]/i.exec(line);
      if (header) {
        section = header[1]!;
        entryPoint = undefined;
        out.set(section, out.get(section) ?? {});
        continue;
      }
      if (/^\s*\[/.test(line)) {
        const ep = /^\s*\[\s*entryPoints\.([^.\]]+)\s*\]/i.exec(line);
        if (ep) out.set(ep[1]!, out.get(ep[1]!) ?? {});
        section = undefined;
        entryPoint = ep?.[1];
        continue;
      }
      const kv = /^\s*(requestAcceptGraceTimeout|graceTimeOut)\s*=\s*"?([^"#\s]+)"?/i.exec(line);
      if (section && kv) out.get(section)![kv[1]!.toLowerCase()] = kv[2]!;
      const address = /^\s*address\s*=\s*"([^"]*)"/i.exec(line);
      if (entryPoint && address) out.get(entryPoint)!.address = address[1]!;
    }
    return out;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return out;
  }
  const eps = isRecord(doc) ? Object.entries(doc).find(([k]) => k.toLowerCase() === 'entrypoints')?.[1] : undefined;
  if (!isRecord(eps)) return out;
  for (const [name, ep] of Object.entries(eps)) {
    const values: Record<string, string> = {};
    const transport = isRecord(ep) ? Object.entries(ep).find(([k]) => k.toLowerCase() === 'transport')?.[1] : undefined;
    const lifeCycle = isRecord(transport) ? Object.entries(transport).find(([k]) => k.toLowerCase() === 'lifecycle')?.[1] : undefined;
    if (isRecord(lifeCycle)) for (const [k, v] of Object.entries(lifeCycle)) values[k.toLowerCase()] = String(v);
    const address = isRecord(ep) ? Object.entries(ep).find(([k]) => k.toLowerCase() === 'address')?.[1] : undefined;
    if (typeof address === 'string') values.address = address;
    out.set(name, values);
  }
  return out;
}

/** Where Traefik looks for its static configuration file when `--configFile` is not given. */
const TRAEFIK_DEFAULT_FILES = ['/etc/traefik/traefik.yml', '/etc/traefik/traefik.yaml', '/etc/traefik/traefik.toml'];

/**
 * Traefik's per-entry-point lifecycle settings. The static configuration comes from one source
 * only, a file first, then the CLI arguments (doc.traefik.io configuration overview), so a file
 * a ConfigMap of the input provides wins; undefined when `--configFile` names a file the input
 * does not have (nothing is known then).
 */
export function traefikLifecycle(
  c: Container,
  podSpec: Record<string, unknown>,
  namespace: string,
  objects: readonly KubeObject[],
  parseYaml: YamlParser,
): TraefikLifecycle | undefined {
  const argv = containerArgv(c);
  const configFile = flagValue(argv, '--configFile', true);
  // Traefik reads the first candidate that exists. A ConfigMap of the input gives its text, or shows
  // the file is not there; a mount the input cannot show (a Secret, a ConfigMap not in the input)
  // may hold it, and a file makes Traefik ignore its arguments, so nothing is known then.
  let file: MountedFile | undefined;
  for (const path of configFile ? [configFile] : TRAEFIK_DEFAULT_FILES) {
    const found = mountedFileLookup(c, podSpec, namespace, objects, path);
    if (found === 'unseen') return undefined;
    if (found !== undefined && found !== 'absent') {
      file = found;
      break;
    }
  }
  if (configFile && !file) return undefined;
  const raw = new Map<string, Record<string, string>>();
  let source: string;
  if (file) {
    for (const [k, v] of lifecycleFromFile(file.text, file.path, parseYaml)) raw.set(k, v);
    source = `${file.key} in ConfigMap ${namespace}/${file.configMap}`;
  } else {
    for (const a of argv) {
      const ep = /^--entrypoints\.([^.=]+)\.(address|transport\.lifecycle\.(requestacceptgracetimeout|gracetimeout))=(.*)$/i.exec(a);
      if (!ep) continue;
      const values = raw.get(ep[1]!) ?? {};
      values[ep[3] ? ep[3].toLowerCase() : 'address'] = ep[4]!;
      raw.set(ep[1]!, values);
    }
    source = 'the container arguments';
  }
  const resolve = (values: Record<string, string>, id: 'traefik/requestAcceptGraceTimeout' | 'traefik/graceTimeOut'): ResolvedSetting => {
    const def = EDGE_DEFAULTS[id];
    const option = id.slice('traefik/'.length);
    const text = values[option.toLowerCase()];
    const seconds = text !== undefined ? configDurationSeconds(text) : undefined;
    return seconds !== undefined
      ? { seconds, from: file ? 'file' : 'flag', origin: `${option} ${text} (${source})` }
      : { seconds: def.seconds, from: 'default', origin: `${option} not set (default ${def.seconds} s)` };
  };
  // With no entry point configured Traefik opens one of its own (`http`, on :80).
  if (raw.size === 0) raw.set('http', { address: ':80' });
  const portOf = (address: string | undefined) => {
    const m = address !== undefined ? /:(\d+)(\/\w+)?$/.exec(address) : null;
    return m ? Number(m[1]) : undefined;
  };
  return {
    entryPoints: [...raw].map(([name, values]) => ({
      name,
      port: portOf(values.address),
      requestAcceptGraceTimeout: resolve(values, 'traefik/requestAcceptGraceTimeout'),
      graceTimeOut: resolve(values, 'traefik/graceTimeOut'),
    })),
    source,
  };
}

const annotationOf = (o: KubeObject, key: string): string | undefined => {
  const v = (o.metadata?.annotations as Record<string, unknown> | undefined)?.[key];
  return v === undefined || v === null ? undefined : String(v).trim();
};

/** An ingress-nginx annotation holding seconds (`proxy-read-timeout: "3600"`), when the Ingress writes one that parses. */
export function ingressNginxAnnotationSeconds(ingress: KubeObject, name: string): ResolvedSetting | undefined {
  const key = `nginx.ingress.kubernetes.io/${name}`;
  const raw = annotationOf(ingress, key);
  const seconds = raw !== undefined ? configDurationSeconds(raw) : undefined;
  if (seconds === undefined) return undefined;
  return { seconds, from: 'annotation', origin: `${key}: "${raw}"`, at: { object: ingress, path: ['metadata', 'annotations', key] } };
}

const ALB_ATTRIBUTES = 'alb.ingress.kubernetes.io/load-balancer-attributes';

/**
 * The ALB idle timeout an Ingress of the AWS Load Balancer Controller asks for
 * (`load-balancer-attributes: idle_timeout.timeout_seconds=N`, comma-separated key=value pairs),
 * else the ALB's 60 s default.
 */
export function albIdleTimeout(ingress: KubeObject): ResolvedSetting {
  const def = EDGE_DEFAULTS['aws-alb/idle_timeout.timeout_seconds'];
  const raw = annotationOf(ingress, ALB_ATTRIBUTES);
  const pair = raw
    ?.split(',')
    .map((p) => p.trim().split('='))
    .find(([k]) => k?.trim() === def.setting);
  const seconds = pair?.[1] !== undefined && /^\d+$/.test(pair[1].trim()) ? Number(pair[1].trim()) : undefined;
  if (seconds === undefined) return { seconds: def.seconds, from: 'default', origin: `the ALB default ${def.seconds} s` };
  return {
    seconds,
    from: 'annotation',
    origin: `${ALB_ATTRIBUTES}: ${def.setting}=${seconds}`,
    at: { object: ingress, path: ['metadata', 'annotations', ALB_ATTRIBUTES] },
  };
}

/**
 * How long an edge proxy keeps accepting after SIGTERM by its own flags, when its arguments say
 * so: ingress-nginx's `--shutdown-grace-period`, Traefik's shortest `requestAcceptGraceTimeout`
 * (only when no static configuration file can be in play, since a file makes Traefik ignore its
 * arguments), over the entry points that set it. Such a proxy delays its own shutdown the way a
 * preStop sleep would.
 */
export function selfDelaySeconds(c: Container): number | undefined {
  const proxy = edgeProxyOf(c);
  const argv = containerArgv(c);
  if (proxy === 'ingress-nginx') {
    const v = flagValue(argv, '--shutdown-grace-period');
    return v !== undefined ? configDurationSeconds(v) : undefined;
  }
  if (proxy !== 'traefik' || flagValue(argv, '--configFile', true) !== undefined) return undefined;
  const mounts = Array.isArray(c.volumeMounts) ? (c.volumeMounts as VolumeMount[]) : [];
  if (mounts.some((m) => typeof m.mountPath === 'string' && m.mountPath.replace(/\/+$/, '').startsWith('/etc/traefik'))) return undefined;
  const graces = argv.flatMap((a) => {
    const m = /^--entrypoints\.[^.=]+\.transport\.lifecycle\.requestacceptgracetimeout=(.*)$/i.exec(a);
    const n = m ? configDurationSeconds(m[1]!) : undefined;
    return n !== undefined ? [n] : [];
  });
  // The entry points that set it are the ones meant for traffic (the dashboard's and metrics' rarely do).
  return graces.length > 0 ? Math.min(...graces) : undefined;
}
