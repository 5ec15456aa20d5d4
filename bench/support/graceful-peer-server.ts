/**
 * One backend for the graceful benchmark, run as a child process:
 *   node dist/bench/support/graceful-peer-server.js <variant> <name>
 * Every variant serves `GET /work?ms=N` (waits N ms, answers `name`) and reacts to SIGTERM the
 * way its library's README recommends for Kubernetes, with the same drain delay for all, so the
 * comparison measures the drain itself (docs/reference/graceful-libraries.md#design "*-delay" variants). `zerodrop-adaptive`
 * uses that delay as its minimum and closes the listener once traffic stopped for QUIET_PERIOD_MS.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { graceful } from '../../dist/graceful/index.js';

const [variant = 'bare', name = 'A'] = process.argv.slice(2);
const delayMs = Number(process.env.DRAIN_DELAY_MS ?? 1000);
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 3500);
const quietPeriodMs = Number(process.env.QUIET_PERIOD_MS ?? 400);

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.url === '/cpu') {
    // Server CPU time in µs, for the overhead measurement: steadier than req/s on a shared machine.
    const { user, system } = process.cpuUsage();
    res.end(String(user + system));
    return;
  }
  const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
  if (ms > 0) await sleep(ms);
  res.setHeader('content-type', 'text/plain');
  res.end(name);
}

function listen(server: http.Server): void {
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
  });
}

type Loose = (...args: unknown[]) => unknown;

async function main(): Promise<void> {
  switch (variant) {
    case 'bare': {
      listen(http.createServer(handle));
      return;
    }
    case 'zerodrop':
    case 'zerodrop-adaptive': {
      const server = http.createServer(handle);
      const drain = variant === 'zerodrop-adaptive' ? { drain: 'adaptive' as const, quietPeriodMs } : {};
      graceful(server, { drainDelayMs: delayMs, timeoutMs, logger: false, ready: true, ...drain });
      listen(server);
      return;
    }
    case 'node-close': {
      const server = http.createServer(handle);
      process.on('SIGTERM', async () => {
        await sleep(delayMs);
        server.close(() => process.exit(0));
      });
      listen(server);
      return;
    }
    case 'lightship+close':
    case 'lightship+http-terminator': {
      const { createLightship } = (await import('lightship')) as unknown as {
        createLightship: (c: object) => Promise<{ registerShutdownHandler: (f: () => Promise<void>) => void; signalReady: () => void }>;
      };
      const server = http.createServer(handle);
      const lightship = await createLightship({
        shutdownDelay: delayMs,
        gracefulShutdownTimeout: timeoutMs - delayMs,
        shutdownHandlerTimeout: timeoutMs - delayMs,
        signals: ['SIGTERM'],
      });
      if (variant === 'lightship+close') {
        lightship.registerShutdownHandler(() => new Promise<void>((resolve) => server.close(() => resolve())));
      } else {
        const { createHttpTerminator } = (await import('http-terminator')) as unknown as {
          createHttpTerminator: (c: object) => { terminate: () => Promise<void> };
        };
        const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: timeoutMs - delayMs - 500 });
        lightship.registerShutdownHandler(() => terminator.terminate());
      }
      listen(server);
      lightship.signalReady();
      return;
    }
    case 'terminus': {
      const { createTerminus } = (await import('@godaddy/terminus')) as unknown as { createTerminus: Loose };
      const server = http.createServer(handle);
      // The README's Kubernetes recipe: sleep in beforeShutdown, exit 0.
      createTerminus(server, {
        signal: 'SIGTERM',
        healthChecks: { '/healthz': async () => {} },
        beforeShutdown: () => sleep(delayMs),
        useExit0: true,
        timeout: timeoutMs - delayMs - 500,
      });
      listen(server);
      return;
    }
    case 'http-terminator': {
      const { createHttpTerminator } = (await import('http-terminator')) as unknown as {
        createHttpTerminator: (c: object) => { terminate: () => Promise<void> };
      };
      const server = http.createServer(handle);
      const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: timeoutMs - delayMs - 500 });
      process.on('SIGTERM', async () => {
        await sleep(delayMs);
        await terminator.terminate();
        process.exit(0);
      });
      listen(server);
      return;
    }
    case 'stoppable': {
      const stoppable = (await import('stoppable')).default as unknown as (s: http.Server, grace: number) => http.Server & { stop: (cb: () => void) => void };
      const server = stoppable(http.createServer(handle), timeoutMs - delayMs - 500);
      process.on('SIGTERM', async () => {
        await sleep(delayMs);
        server.stop(() => process.exit(0));
      });
      listen(server);
      return;
    }
    case 'close-with-grace+fastify': {
      const closeWithGrace = (await import('close-with-grace')).default as unknown as Loose;
      const Fastify = (await import('fastify')).default as unknown as (o?: object) => {
        get: (path: string, h: (req: { query: { ms?: string } }) => Promise<string>) => void;
        listen: (o: object) => Promise<string>;
        close: () => Promise<void>;
        server: http.Server;
      };
      const app = Fastify();
      app.get('/work', async (req) => {
        const ms = Number(req.query.ms ?? 0);
        if (ms > 0) await sleep(ms);
        return name;
      });
      closeWithGrace({ delay: timeoutMs }, async () => {
        await sleep(delayMs);
        await app.close();
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
      return;
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

await main();
