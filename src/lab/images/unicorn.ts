/**
 * The lab's stand-in for unicorn (https://yhbt.net/unicorn/SIGNALS.html), run as the main process
 * of a container whose command runs unicorn: a master process that forks workers sharing its
 * listening sockets, with unicorn's signal semantics, which are what the lab demonstrates.
 *
 *   master SIGTERM/SIGINT  quick shutdown: every worker gets SIGTERM and exits at once, the
 *                          requests it was serving are cut; the master exits when they are gone
 *   master SIGQUIT         graceful shutdown: the listeners close, every worker gets SIGQUIT,
 *                          finishes the requests it is serving and exits; then the master exits
 *   worker SIGTERM/SIGINT  exit at once
 *   worker SIGQUIT         stop accepting, finish the current requests, exit
 *   a worker that dies     respawned by the master, unless the master is stopping
 *
 * Like unicorn, every response carries `Connection: close` (unicorn serves one request per
 * connection and is meant to sit behind a buffering proxy). Unlike unicorn, a worker here serves
 * its requests concurrently rather than one at a time: the lab's load is about the stop, not about
 * the worker pool's capacity.
 *
 * The app (a Rack app's stand-in): `GET /slow?ms=N` answers after N ms (default 1000), every other
 * path at once; the response names the pod (`x-zerodrop-pod`).
 *
 * Arguments: the container ports to listen on; each one's host port is `$PORT_<port>` (the lab's
 * pod network, src/lab/pods/podNetwork.ts), else `$PORT`. `ZERODROP_UNICORN_WORKERS` sets the
 * number of workers (default 2; unicorn's own comes from `worker_processes` in its config file).
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server } from 'node:http';

const WORKER_COUNT = Math.max(1, Number(process.env.ZERODROP_UNICORN_WORKERS ?? 2) || 2);
const podName = process.env.POD_NAME ?? 'unicorn';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function listenPorts(): number[] {
  const containerPorts = process.argv.slice(2);
  const hostPorts = containerPorts.length > 0 ? containerPorts.map((p) => process.env[`PORT_${p}`]) : [process.env.PORT];
  return hostPorts.map((p, i) => {
    const port = Number(p);
    if (!Number.isInteger(port) || port <= 0) {
      log(`unicorn stand-in: no host port for container port ${containerPorts[i] ?? '(PORT)'}`);
      process.exit(2);
    }
    return port;
  });
}

function runMaster(): void {
  // Workers accept on the shared sockets themselves, as unicorn's workers do, rather than being
  // handed connections by the master.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping: 'quick' | 'graceful' | undefined;
  const spawn = (nr: number): Worker => {
    const w = cluster.fork({ ZERODROP_UNICORN_WORKER_NR: String(nr) });
    w.on('exit', (code, signal) => {
      log(`reaped worker=${nr} (${signal ?? `exit ${code}`})`);
      if (!stopping) spawn(nr);
      else if (Object.keys(cluster.workers ?? {}).length === 0) {
        log('master complete');
        process.exit(0);
      }
    });
    return w;
  };
  for (let nr = 0; nr < WORKER_COUNT; nr++) spawn(nr);
  const each = (signal: NodeJS.Signals) => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  const quick = (signal: NodeJS.Signals) => () => {
    log(`master received ${signal}: quick shutdown, killing all workers`);
    stopping = 'quick';
    each('SIGTERM');
  };
  process.on('SIGTERM', quick('SIGTERM'));
  process.on('SIGINT', quick('SIGINT'));
  process.on('SIGQUIT', () => {
    if (stopping) return;
    log('master received SIGQUIT: graceful shutdown, workers finish their requests');
    stopping = 'graceful';
    each('SIGQUIT');
  });
  log(`master process ready, ${WORKER_COUNT} workers`);
}

function runWorker(): void {
  const nr = process.env.ZERODROP_UNICORN_WORKER_NR ?? '?';
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    res.setHeader('x-zerodrop-pod', podName);
    res.shouldKeepAlive = false;
    const url = new URL(req.url ?? '/', 'http://x');
    const wait = url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? 1000) : 0;
    const answer = () => res.end(`ok from ${podName} worker=${nr}\n`);
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  };
  const servers: Server[] = listenPorts().map((port) => createServer(handler).listen(port, '127.0.0.1'));
  let listening = 0;
  for (const s of servers)
    s.on('listening', () => {
      if (++listening === servers.length) log(`worker=${nr} ready`);
    });
  // Quick shutdown: gone at once, in-flight requests with it (unicorn's worker exits without cleanup).
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  process.on('SIGQUIT', () => {
    let open = servers.length;
    for (const s of servers)
      s.close(() => {
        if (--open === 0) process.exit(0);
      });
    // Every response closes its connection, so close() waits only for the requests in flight.
    for (const s of servers) s.closeIdleConnections();
  });
}

if (cluster.isPrimary) runMaster();
else runWorker();
