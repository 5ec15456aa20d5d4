/**
 * Spring Boot's shutdown settings as the input shows them: whether a container runs Spring Boot,
 * and `server.shutdown` and `spring.lifecycle.timeout-per-shutdown-phase` read from every
 * external source Spring Boot consults, highest precedence first: application arguments,
 * SPRING_APPLICATION_JSON, Java system properties, environment variables, then config files
 * outside the jar, profile-specific ones above the plain ones
 * (https://docs.spring.io/spring-boot/reference/features/external-config.html). The
 * application.yml packaged in the jar is never in the input: a setting no external source makes
 * is "not visible", never "unset". Pure: the YAML parser is passed in (src/k8s depends on no package).
 */
import { APP_SHUTDOWN_SETTINGS } from './appShutdown.js';

/** Parses every document of a YAML text; throws on malformed input. */
export type YamlDocumentsParser = (text: string) => unknown[];

export interface SpringInputs {
  /** The process environment (src/k8s/containerEnv.ts); `undefined` values are set from sources the input does not show. */
  env: ReadonlyMap<string, string | undefined>;
  /** Sources that may set variables the input cannot list. */
  hiddenEnv: readonly string[];
  /** The words the container runs, when known: `java -Dx=y -jar app.jar --a=b`, also inside `sh -c` scripts. */
  argv: readonly string[];
  /** Files the container sees from the input (mounted ConfigMaps), by absolute path. */
  files: ReadonlyArray<{ path: string; text: string; origin: string }>;
  /** The process's working directory when the input says it (container workingDir, Dockerfile WORKDIR). */
  workingDir: string | undefined;
  /** Words of the image build that tell Spring Boot (Dockerfile RUN/ENTRYPOINT/CMD lines). */
  buildWords?: readonly string[];
  parseYaml: YamlDocumentsParser;
}

export type SpringSource = 'argument' | 'SPRING_APPLICATION_JSON' | 'system property' | 'environment' | 'config file';

export interface SpringSetting<T> {
  value: T;
  /** As written, for messages: `env SERVER_SHUTDOWN=immediate`. */
  written: string;
  source: SpringSource;
  /**
   * False for a config file in a directory Spring Boot reads only if the working directory is
   * what it looks like (`/config/application.yml` with the working directory unknown).
   */
  certain: boolean;
}

export interface SpringShutdownView {
  /** Why the container is taken for a Spring Boot app. */
  evidence: string;
  shutdown: SpringSetting<'graceful' | 'immediate'> | undefined;
  phaseTimeout: SpringSetting<number> | undefined;
  /** Sources that could set either without the input showing it (an envFrom Secret, a valueFrom). */
  hidden: string[];
}

type Key = 'shutdown' | 'phase';

/** Canonical property names compared without case, dashes or underscores, as relaxed binding does. */
const canonical = (name: string) =>
  name
    .split('.')
    .map((e) => e.toLowerCase().replace(/[-_]/g, ''))
    .join('.');
const KEYS: Record<string, Key> = { 'server.shutdown': 'shutdown', 'spring.lifecycle.timeoutpershutdownphase': 'phase' };
const keyOf = (name: string): Key | undefined => KEYS[canonical(name)];

/** Environment names Spring Boot binds to the two properties (SystemEnvironmentPropertyMapper: canonical and legacy forms). */
const ENV_NAMES: Record<string, Key> = {
  SERVER_SHUTDOWN: 'shutdown',
  SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: 'phase',
  SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: 'phase',
};

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A Spring Boot Duration in seconds (DurationStyle): `30s`, `500ms`, `1m`, ISO-8601 `PT30S`, or
 * a bare number, which LifecycleProperties reads as milliseconds (it declares no unit).
 */
export function springDurationSeconds(text: string | number): number | undefined {
  const t = String(text).trim();
  const simple = /^([+-]?\d+)([a-zA-Z]{0,2})$/.exec(t);
  if (simple) {
    const unit = DURATION_UNITS[(simple[2] || 'ms').toLowerCase()];
    return unit === undefined ? undefined : Number(simple[1]) * unit;
  }
  const iso = /^[+-]?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso && /\d/.test(t)) return Number(iso[1] ?? 0) * 86400 + Number(iso[2] ?? 0) * 3600 + Number(iso[3] ?? 0) * 60 + Number(iso[4] ?? 0);
  return undefined;
}

function shutdownValue(v: unknown): 'graceful' | 'immediate' | undefined {
  const s = String(v).trim().toLowerCase();
  return s === 'graceful' || s === 'immediate' ? s : undefined;
}

type Found = { shutdown?: SpringSetting<'graceful' | 'immediate'>; phase?: SpringSetting<number> };

function record(found: Found, key: Key, raw: unknown, written: string, source: SpringSource, certain = true): void {
  if (key === 'shutdown' && !found.shutdown) {
    const value = shutdownValue(raw);
    if (value) found.shutdown = { value, written, source, certain };
  } else if (key === 'phase' && !found.phase) {
    const seconds = typeof raw === 'string' || typeof raw === 'number' ? springDurationSeconds(raw) : undefined;
    if (seconds !== undefined) found.phase = { value: seconds, written, source, certain };
  }
}

/** `{"server": {"shutdown": "graceful"}}` and `{"server.shutdown": "graceful"}` alike, as dotted keys. */
function flatten(value: unknown, prefix = '', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.push([prefix, value]);
  return out;
}

/** The `key=value` pairs of a .properties file (`=`, `:` or a space separates; `#` and `!` start comments). */
function propertiesPairs(text: string): Array<[string, string]> {
  return text.split(/\r?\n/).flatMap((line): Array<[string, string]> => {
    const m = /^\s*([^#!\s=:][^=:\s]*)\s*[=:\s]\s*(.*?)\s*$/.exec(line);
    return m ? [[m[1]!, m[2]!]] : [];
  });
}

/** `-Dname=value` and `--name=value` words, in scripts too (`sh -c "java $JAVA_OPTS -Dx=y -jar app.jar"`). */
function words(argv: readonly string[]): string[] {
  return argv.flatMap((a) => a.split(/\s+/)).map((w) => w.replace(/^["']|["']$/g, ''));
}

function pairs(ws: readonly string[], prefix: '-D' | '--'): Array<[string, string]> {
  return ws.flatMap((w): Array<[string, string]> => {
    if (!w.startsWith(prefix)) return [];
    const eq = w.indexOf('=');
    return eq > prefix.length ? [[w.slice(prefix.length, eq), w.slice(eq + 1)]] : [];
  });
}

/** Environment names of Spring Boot's own property groups (spring.profiles.*, spring.datasource.*, …) and SPRING_APPLICATION_JSON. */
const SPRING_PROPERTY_GROUP =
  /^SPRING_(APPLICATION|PROFILES|CONFIG|MAIN|DATASOURCE|JPA|FLYWAY|LIQUIBASE|R2DBC|SQL|DATA|KAFKA|RABBITMQ|ACTIVEMQ|ARTEMIS|PULSAR|REDIS|ELASTICSEARCH|CACHE|SESSION|CLOUD|SECURITY|MAIL|JMX|JACKSON|MVC|WEBFLUX|SERVLET|THYMELEAF|GRAPHQL|BATCH|QUARTZ|TASK|THREADS|LIFECYCLE|OUTPUT|BANNER|DEVTOOLS|AUTOCONFIGURE|JTA|NEO4J|BOOT)(_|$)/;

const JVM_OPTION_VARIABLES = ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', 'JAVA_OPTS'];

/** The active profiles, from the highest source that names them. */
function activeProfiles(inputs: SpringInputs, ws: readonly string[]): string[] {
  const named =
    pairs(ws, '--').find(([k]) => canonical(k) === 'spring.profiles.active')?.[1] ??
    pairs(ws, '-D').find(([k]) => canonical(k) === 'spring.profiles.active')?.[1] ??
    inputs.env.get('SPRING_PROFILES_ACTIVE');
  return (named ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A location value of spring.config.(additional-)location / import: comma-separated, `optional:` and `file:` prefixes. */
function locations(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;]/)
    .map((l) =>
      l
        .trim()
        .replace(/^optional:/, '')
        .replace(/^file:/, ''),
    )
    .filter((l) => l.startsWith('/') || l.startsWith('./'));
}

/** A property from the arguments, system properties or environment (canonical and legacy variable names). */
function configSetting(inputs: SpringInputs, ws: readonly string[], name: string): string | undefined {
  const env = name.toUpperCase().replace(/\./g, '_');
  return (
    pairs(ws, '--').find(([k]) => canonical(k) === canonical(name))?.[1] ??
    pairs(ws, '-D').find(([k]) => canonical(k) === canonical(name))?.[1] ??
    inputs.env.get(env.replace(/-/g, '')) ??
    inputs.env.get(env.replace(/-/g, '_')) ??
    undefined
  );
}

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CONFIG_FILE = /^application(?:-([^/.]+))?\.(properties|ya?ml)$/;

interface ConfigFile {
  path: string;
  text: string;
  origin: string;
  profile: string | undefined;
  certain: boolean;
}

/**
 * The mounted files Spring Boot reads as its config, in increasing precedence: `./` then
 * `./config/` then `./config/*` (of the working directory), plus the locations the input names;
 * profile-specific files above plain ones. With the working directory unknown, a file in a
 * directory named `config` may be read (it is when the process runs from its parent): not certain.
 */
function configFiles(inputs: SpringInputs, ws: readonly string[], profiles: readonly string[]): ConfigFile[] {
  const replaced = locations(configSetting(inputs, ws, 'spring.config.location'));
  const explicit = [
    ...replaced,
    ...locations(configSetting(inputs, ws, 'spring.config.additional-location')),
    ...locations(configSetting(inputs, ws, 'spring.config.import')),
  ];
  const cwd = inputs.workingDir?.replace(/\/+$/, '');
  const resolve = (l: string) => (l.startsWith('./') ? (cwd !== undefined ? `${cwd}/${l.slice(2)}` : undefined) : l);
  const out: ConfigFile[] = [];
  for (const f of inputs.files) {
    const slash = f.path.lastIndexOf('/');
    const dir = f.path.slice(0, slash) || '/';
    const m = CONFIG_FILE.exec(f.path.slice(slash + 1));
    const named = explicit.some((l) => {
      const at = resolve(l);
      if (at === undefined) return false;
      return at.endsWith('/') ? m !== null && (at.replace(/\/+$/, '') || '/') === dir : at === f.path;
    });
    if (m?.[1] !== undefined && !profiles.includes(m[1])) continue;
    let certain: boolean;
    if (named) certain = true;
    else if (!m || replaced.length > 0) continue;
    else if (cwd !== undefined) {
      const root = cwd || '';
      if (!(dir === (root || '/') || dir === `${root}/config` || new RegExp(`^${regexEscape(root)}/config/[^/]+$`).test(dir))) continue;
      certain = true;
    } else if (/(^|\/)config(\/[^/]+)?$/.test(dir)) certain = false;
    else continue;
    out.push({ path: f.path, text: f.text, origin: f.origin, profile: m?.[1], certain });
  }
  // Highest precedence first: profile-specific over plain, then deeper locations over shallower.
  return out.sort((a, b) => Number(b.profile !== undefined) - Number(a.profile !== undefined) || b.path.split('/').length - a.path.split('/').length);
}

/** The documents of a YAML config that apply with these profiles (`spring.config.activate.on-profile`, legacy `spring.profiles`). */
function yamlEntries(file: ConfigFile, profiles: readonly string[], parse: YamlDocumentsParser): Array<[string, unknown]> {
  let docs: unknown[];
  try {
    docs = parse(file.text);
  } catch {
    return [];
  }
  // Later documents override earlier ones, and the first value found wins: read them last first.
  return [...docs].reverse().flatMap((doc) => {
    const entries = flatten(doc);
    const on = entries.find(([k]) => ['spring.config.activate.onprofile', 'spring.profiles'].includes(canonical(k)))?.[1];
    if (typeof on === 'string' && !on.split(',').some((p) => profiles.includes(p.trim().replace(/^!/, '')))) return [];
    return entries;
  });
}

/** What tells that a container runs Spring Boot, or undefined when nothing does. */
function springEvidence(inputs: SpringInputs, ws: readonly string[], files: () => readonly ConfigFile[]): string | undefined {
  // SERVER_SHUTDOWN and server.shutdown are Spring Boot's own names; SERVER_PORT alone is not, nor a
  // SPRING_BACKEND_URL that a frontend reads: only the property groups Spring Boot binds count.
  const springVar = [...inputs.env.keys()].find((k) => SPRING_PROPERTY_GROUP.test(k) || ENV_NAMES[k.toUpperCase()] !== undefined);
  if (springVar) return `its environment sets ${springVar}`;
  const flag = ws.find((w) => /^(--|-D)(spring\.|server\.shutdown=)/.test(w) || w.includes('org.springframework.boot'));
  if (flag) return `it runs with ${flag.split('=')[0]}`;
  const jvmOpts = JVM_OPTION_VARIABLES.find((v) => /-D(spring\.|server\.shutdown=)/.test(inputs.env.get(v) ?? ''));
  if (jvmOpts) return `${jvmOpts} sets Spring Boot properties`;
  const build = (inputs.buildWords ?? []).find((w) => /-Djarmode=(layertools|tools)|org\.springframework\.boot/.test(w));
  if (build) return 'its image is built from a Spring Boot jar';
  const file = files().find((f) => /^\s*spring[.:]|^\s*server\.shutdown\s*[=:]|^\s*server:\s*\n\s+shutdown:/m.test(f.text));
  if (file) return `it reads the Spring Boot config ${file.path}`;
  return undefined;
}

/** Spring Boot's shutdown settings for a container, or undefined when it does not look like Spring Boot. */
export function springShutdownView(inputs: SpringInputs): SpringShutdownView | undefined {
  const ws = words(inputs.argv);
  const profiles = activeProfiles(inputs, ws);
  // Most containers are not Spring Boot and say so before their config files need reading.
  let read: ConfigFile[] | undefined;
  const configFilesOnce = () => (read ??= configFiles(inputs, ws, profiles));
  const evidence = springEvidence(inputs, ws, configFilesOnce);
  if (!evidence) return undefined;
  const files = configFilesOnce();
  const found: Found = {};
  const hidden = [...inputs.hiddenEnv];
  for (const [k, v] of pairs(ws, '--')) {
    const key = keyOf(k);
    if (key) record(found, key, v, `--${k}=${v}`, 'argument');
  }
  const json = inputs.env.get('SPRING_APPLICATION_JSON');
  if (json !== undefined) {
    try {
      for (const [k, v] of flatten(JSON.parse(json))) {
        const key = keyOf(k);
        if (key) record(found, key, v, `SPRING_APPLICATION_JSON ${k}=${String(v)}`, 'SPRING_APPLICATION_JSON');
      }
    } catch {
      hidden.push('SPRING_APPLICATION_JSON, which is not valid JSON');
    }
  } else if (inputs.env.has('SPRING_APPLICATION_JSON')) hidden.push('SPRING_APPLICATION_JSON from a source the input does not show');
  const systemProps: Array<readonly [string, string, string]> = pairs(ws, '-D').map(([k, v]) => [k, v, `-D${k}=${v}`]);
  for (const name of JVM_OPTION_VARIABLES) {
    const value = inputs.env.get(name);
    if (value === undefined && inputs.env.has(name)) hidden.push(`${name} from a source the input does not show`);
    for (const [k, v] of pairs(words([value ?? '']), '-D')) systemProps.push([k, v, `${name} -D${k}=${v}`]);
  }
  for (const [k, v, written] of systemProps) {
    const key = keyOf(k);
    if (key) record(found, key, v, written, 'system property');
  }
  for (const [name, value] of inputs.env) {
    const key = ENV_NAMES[name.toUpperCase()];
    if (!key) continue;
    if (value === undefined) hidden.push(`${name} from a source the input does not show`);
    else record(found, key, value, `env ${name}=${value}`, 'environment');
  }
  for (const f of files) {
    const entries = /\.properties$/.test(f.path) ? propertiesPairs(f.text) : yamlEntries(f, profiles, inputs.parseYaml);
    for (const [k, v] of entries) {
      const key = keyOf(k);
      if (key) record(found, key, v, `${k}: ${String(v)} in ${f.path} (${f.origin})`, 'config file', f.certain);
    }
  }
  return { evidence, shutdown: found.shutdown, phaseTimeout: found.phase, hidden };
}

/** The Spring Boot version an image build names (a label, a build argument or variable), e.g. `3.2.5`. */
export function springBootVersionIn(vars: ReadonlyMap<string, string>): { version: string; from: string } | undefined {
  for (const [k, v] of vars) {
    if (/^(org\.springframework\.boot\.version|spring[-_.]?boot[-_.]?version)$/i.test(k) && /^\d+\.\d+/.test(v)) return { version: v, from: k };
  }
  return undefined;
}

export const SPRING_SHUTDOWN = APP_SHUTDOWN_SETTINGS['spring-boot/server.shutdown'];
export const SPRING_PHASE_TIMEOUT = APP_SHUTDOWN_SETTINGS['spring-boot/timeout-per-shutdown-phase'];
