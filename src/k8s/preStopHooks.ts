/**
 * preStop hooks real projects ship, and what each does to the shutdown timeline, with sources.
 * The kubelet sends the stop signal when the hook returns (docs/reference/pod-termination.md), so
 * what matters is how long the server keeps accepting connections while the hook runs: a hook
 * that first makes the server stop listening gives endpoint removal no time at all, however long
 * it then waits.
 */
import { executableName } from './servers.js';

export type HookEffect =
  /** The server keeps serving for `seconds` (a configured delay), then stops. */
  | { effect: 'delays'; seconds: number; what: string }
  /** The hook makes the server stop accepting new connections before anything waits for endpoint removal. */
  | { effect: 'stops-server-first'; what: string; fix: 'shutdownGracePeriod' | 'kongWait' }
  /** The hook waits for connections to drain while the proxy fails its health checks: deliberate. */
  | { effect: 'waits-for-drain'; what: string };

export interface HookContext {
  /** The argv of the container the hook belongs to (command and args), when the pod spec says it. */
  containerArgv?: readonly string[];
  /** The argvs of every container of the pod. */
  podArgvs?: ReadonlyArray<readonly string[]>;
}

export interface KnownHook {
  id: string;
  /** The hook's exec argv (after `sh -c`, its words) is this hook. */
  matches: (argv: readonly string[]) => boolean;
  effect: (argv: readonly string[], ctx: HookContext) => HookEffect;
  sources: readonly string[];
}

/** Seconds of a Go duration flag (`--flag=5s`, `--flag 30`, `1m`), or undefined when absent. */
export function flagSeconds(argv: readonly string[], flag: string): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = a === flag ? argv[i + 1] : a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : undefined;
    if (value === undefined) continue;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    if (!m) return undefined;
    const n = Number(m[1]);
    return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
  }
  return undefined;
}

export const KNOWN_HOOKS: readonly KnownHook[] = [
  {
    id: 'ingress-nginx-wait-shutdown',
    matches: (argv) => argv.length === 1 && executableName(argv[0]!) === 'wait-shutdown',
    effect: (_argv, ctx) => {
      const grace = flagSeconds(ctx.containerArgv ?? [], '--shutdown-grace-period') ?? 0;
      const what = `/wait-shutdown sends SIGTERM to the ingress-nginx controller, which waits --shutdown-grace-period (${grace > 0 ? `${grace} s` : 'not set: 0 s'}) and then quits nginx, whose listeners close at once; the hook then waits for nginx to exit`;
      return grace > 0 ? { effect: 'delays', seconds: grace, what } : { effect: 'stops-server-first', what, fix: 'shutdownGracePeriod' };
    },
    sources: [
      'https://github.com/kubernetes/ingress-nginx/blob/main/cmd/waitshutdown/main.go',
      'https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/controller/nginx.go',
      'https://github.com/kubernetes/ingress-nginx/blob/main/pkg/flags/flags.go',
    ],
  },
  {
    id: 'kong-quit',
    matches: (argv) => executableName(argv[0] ?? '') === 'kong' && argv[1] === 'quit',
    effect: (argv) => {
      const wait = flagSeconds(argv, '--wait') ?? flagSeconds(argv, '-w');
      const what = `kong quit ${wait ? `waits ${wait} s (--wait), then ` : ''}sends SIGQUIT to nginx, whose listeners close at once, and waits for it to exit`;
      return wait ? { effect: 'delays', seconds: wait, what } : { effect: 'stops-server-first', what, fix: 'kongWait' };
    },
    // -w/--wait: "wait time before initiating the shutdown", default 0.
    sources: ['https://docs.konghq.com/gateway/latest/reference/cli/#kong-quit'],
  },
  {
    id: 'contour-envoy-shutdown',
    matches: (argv) => executableName(argv[0] ?? '') === 'contour' && argv[1] === 'envoy' && argv[2] === 'shutdown',
    effect: () => ({
      effect: 'waits-for-drain',
      what: "contour envoy shutdown fails Envoy's health checks (POST /healthcheck/fail) and waits until its open connections drain",
    }),
    sources: ['https://projectcontour.io/docs/main/redeploy-envoy/'],
  },
];

/**
 * The HTTP hook of Contour's Envoy, `GET :8090/shutdown`, answered by the shutdown-manager
 * container of the same pod, which holds the request until Envoy has drained.
 */
export function contourShutdownManagerHook(path: unknown, ctx: HookContext): HookEffect | undefined {
  if (path !== '/shutdown') return undefined;
  const manager = ctx.podArgvs?.some((argv) => argv.includes('shutdown-manager') && argv.some((a) => executableName(a) === 'contour' || a === 'envoy'));
  return manager ? { effect: 'waits-for-drain', what: "Contour's shutdown-manager holds GET /shutdown until Envoy's connections have drained" } : undefined;
}

export function knownHookEffect(argv: readonly string[], ctx: HookContext): HookEffect | undefined {
  return KNOWN_HOOKS.find((h) => h.matches(argv))?.effect(argv, ctx);
}
