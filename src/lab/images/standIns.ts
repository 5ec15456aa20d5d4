/**
 * Servers the lab runs as a stand-in of its own when a container's command runs them and no
 * `--run` mapping says otherwise: the server is recognised through the shared model (what PID 1
 * runs, src/k8s/pid1.ts, and which server that is, src/k8s/servers.ts), never by image or
 * scenario name. A stand-in reproduces the server's stop-signal semantics with real processes;
 * it is not the server (no Ruby runs here).
 */
import path from 'node:path';
import type { ServerId } from '../../k8s/servers.js';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';

export interface ServerStandIn {
  server: ServerId;
  /** What it is, for the printed note. */
  describes: string;
  /** The container's command line, listening on these container ports (`$PORT_<port>` each). */
  argv(ports: readonly number[]): string[];
}

/** Built stand-ins live in dist/ (the source tree runs them from there too, like linkerd-proxy). */
const built = (name: string): string => path.join(PACKAGE_ROOT, 'dist', 'lab', 'images', `${name}.js`);

const unicorn: ServerStandIn = {
  server: 'unicorn',
  describes:
    "its unicorn stand-in (src/lab/images/unicorn.ts: a master and 2 workers with unicorn's signals, SIGTERM kills the workers at once, SIGQUIT lets them finish; /slow?ms=N answers after N ms)",
  argv: (ports) => [process.execPath, built('unicorn'), ...ports.map(String)],
};

export const SERVER_STAND_INS: Readonly<Partial<Record<ServerId, ServerStandIn>>> = { unicorn };

export function standInFor(server: ServerId): ServerStandIn | undefined {
  return SERVER_STAND_INS[server];
}
