/**
 * ASP.NET Core's (the .NET generic host's) shutdown timeout as the input shows it: whether a
 * container runs .NET, which .NET its image is (the tag of the official image), and
 * `HostOptions.ShutdownTimeout` from the configuration sources the default builders add, highest
 * precedence first: command line, environment variables (every variable, unprefixed), then
 * appsettings.{Environment}.json and appsettings.json, then the host configuration (DOTNET_ and
 * ASPNETCORE_ prefixed variables) (https://learn.microsoft.com/en-us/aspnet/core/fundamentals/configuration/#default-application-configuration-sources).
 * Code can still set HostOptions itself, which no input shows. Pure.
 */
import { APP_SHUTDOWN_SETTINGS, appShutdownDefault } from './appShutdown.js';
import { parseImageRef, tagVersion } from './imageRef.js';

/** The official .NET images, whose tag is the .NET version (https://github.com/dotnet/dotnet-docker/blob/main/documentation/supported-tags.md). */
const DOTNET_REPOSITORIES = /^mcr\.microsoft\.com\/dotnet\/(core\/)?(aspnet|runtime|runtime-deps|sdk)$/;

export interface DotnetInputs {
  env: ReadonlyMap<string, string | undefined>;
  hiddenEnv: readonly string[];
  argv: readonly string[];
  files: ReadonlyArray<{ path: string; text: string; origin: string }>;
  /** The content root: the working directory (container workingDir, Dockerfile WORKDIR), when known. */
  workingDir: string | undefined;
  /** Images the container's process comes from: its own image, the Dockerfile's base. */
  images: readonly string[];
}

export interface DotnetTimeout {
  seconds: number;
  /** Where it comes from: `env DOTNET_SHUTDOWNTIMEOUTSECONDS=10`, or `the .NET 8 default`. */
  origin: string;
  explicit: boolean;
}

export interface DotnetShutdownView {
  evidence: string;
  /** `8.0` from `mcr.microsoft.com/dotnet/aspnet:8.0`, when an official image tells it. */
  version: { version: string; image: string } | undefined;
  /** The timeout, when a visible source sets it or the version fixes its default. */
  timeout: DotnetTimeout | undefined;
  hidden: string[];
}

/** The .NET version of the first official .NET image among these (a floating `latest` tells none). */
export function dotnetImageVersion(images: readonly string[]): { version: string; image: string } | undefined {
  for (const image of images) {
    const ref = parseImageRef(image);
    if (!DOTNET_REPOSITORIES.test(ref.repository)) continue;
    const v = tagVersion(ref.tag);
    if (v) return { version: v.join('.'), image };
  }
  return undefined;
}

/** Config keys are case-insensitive; `shutdownTimeoutSeconds` is parsed as digits only (NumberStyles.None). */
function seconds(value: unknown): number | undefined {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

function fromArgs(argv: readonly string[]): { seconds: number; written: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const m = /^(?:--|\/)?shutdownTimeoutSeconds(?:=(.*))?$/i.exec(argv[i]!);
    if (!m || !/^(--|\/)/.test(argv[i]!)) continue;
    const raw = m[1] ?? argv[i + 1];
    const n = seconds(raw);
    if (n !== undefined) return { seconds: n, written: `${argv[i]}${m[1] === undefined ? ` ${raw}` : ''}` };
  }
  return undefined;
}

function fromJson(text: string): number | undefined {
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    if (!doc || typeof doc !== 'object') return undefined;
    const entry = Object.entries(doc as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'shutdowntimeoutseconds');
    return entry ? seconds(entry[1]) : undefined;
  } catch {
    return undefined;
  }
}

function envValue(env: ReadonlyMap<string, string | undefined>, name: string): { name: string; value: string | undefined } | undefined {
  for (const [k, v] of env) if (k.toUpperCase() === name) return { name: k, value: v };
  return undefined;
}

export function dotnetShutdownView(inputs: DotnetInputs): DotnetShutdownView | undefined {
  const version = dotnetImageVersion(inputs.images);
  const dotnetVar = [...inputs.env.keys()].find((k) => /^(ASPNETCORE|DOTNET)_/.test(k));
  const runsDll = inputs.argv[0] !== undefined && /(^|\/)dotnet$/.test(inputs.argv[0]) && inputs.argv.some((a) => /\.dll$/i.test(a));
  const evidence = version
    ? `it runs the .NET image ${version.image}`
    : runsDll
      ? `it runs ${inputs.argv.slice(0, 2).join(' ')}`
      : dotnetVar
        ? `its environment sets ${dotnetVar}`
        : undefined;
  if (!evidence) return undefined;
  const hidden = [...inputs.hiddenEnv];
  const defaults = (): DotnetShutdownView => {
    const d = appShutdownDefault('aspnetcore/shutdown-timeout', version?.version);
    const timeout = d?.seconds !== undefined && version ? { seconds: d.seconds, origin: `the .NET ${version.version} default`, explicit: false } : undefined;
    return { evidence, version, timeout, hidden };
  };
  const explicit = (secs: number, origin: string): DotnetShutdownView => ({ evidence, version, timeout: { seconds: secs, origin, explicit: true }, hidden });
  const arg = fromArgs(inputs.argv);
  if (arg) return explicit(arg.seconds, arg.written);
  // Before .NET 5 the host never read shutdownTimeoutSeconds from configuration (dotnet/runtime#36059).
  if (version && tagVersion(version.version)![0]! < 5) return defaults();
  const plain = envValue(inputs.env, 'SHUTDOWNTIMEOUTSECONDS');
  if (plain?.value !== undefined && seconds(plain.value) !== undefined) return explicit(seconds(plain.value)!, `env ${plain.name}=${plain.value}`);
  const environment = envValue(inputs.env, 'ASPNETCORE_ENVIRONMENT')?.value ?? envValue(inputs.env, 'DOTNET_ENVIRONMENT')?.value ?? 'Production';
  const root = inputs.workingDir?.replace(/\/+$/, '');
  if (root !== undefined) {
    for (const name of [`appsettings.${environment}.json`, 'appsettings.json']) {
      const file = inputs.files.find((f) => f.path === `${root}/${name}`);
      const n = file ? fromJson(file.text) : undefined;
      if (file && n !== undefined) return explicit(n, `shutdownTimeoutSeconds: ${n} in ${file.path} (${file.origin})`);
    }
  }
  for (const name of ['ASPNETCORE_SHUTDOWNTIMEOUTSECONDS', 'DOTNET_SHUTDOWNTIMEOUTSECONDS']) {
    const e = envValue(inputs.env, name);
    if (e?.value !== undefined && seconds(e.value) !== undefined) return explicit(seconds(e.value)!, `env ${e.name}=${e.value}`);
    if (e && e.value === undefined) hidden.push(`${e.name} from a source the input does not show`);
  }
  return defaults();
}

export const DOTNET_SHUTDOWN_TIMEOUT = APP_SHUTDOWN_SETTINGS['aspnetcore/shutdown-timeout'];
