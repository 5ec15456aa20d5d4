/**
 * What a language runtime does with SIGTERM when it is PID 1 of the container and the app installs
 * no handler, and what a package manager does with it when it runs the app for you
 * (docs/reference/signals.md#pid-1). One row per runtime, each measured here with
 * `unshare --pid --fork` and sourced.
 */
export type RuntimeId = 'node' | 'python' | 'jvm';

export interface RuntimeKnowledge {
  id: RuntimeId;
  runtime: string;
  /** Executable basenames. */
  executables: RegExp;
  /** Whether PID 1 with no handler of the app's own stops on SIGTERM. */
  stopsOnSigtermAsPid1: boolean;
  /** What happens, for messages. */
  asPid1: string;
  /** How the app opts in. */
  handler: string;
  source: string;
}

export const RUNTIMES: Readonly<Record<RuntimeId, RuntimeKnowledge>> = {
  node: {
    id: 'node',
    runtime: 'Node.js',
    executables: /^(node|nodejs)$/,
    stopsOnSigtermAsPid1: false,
    asPid1: "ignores SIGTERM unless the app registers process.on('SIGTERM'): Node re-raises it with the default action, which the kernel drops for PID 1",
    handler: "process.on('SIGTERM', …)",
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#handling-kernel-signals; measured with Node 20',
  },
  python: {
    id: 'python',
    runtime: 'Python',
    executables: /^python(\d+(\.\d+)?)?$/,
    stopsOnSigtermAsPid1: false,
    asPid1: 'ignores SIGTERM unless the app installs a handler (signal.signal(SIGTERM, …)): Python handles only SIGINT by default',
    handler: 'signal.signal(signal.SIGTERM, …)',
    source: 'https://docs.python.org/3/library/signal.html; measured with Python 3.11',
  },
  jvm: {
    id: 'jvm',
    runtime: 'the JVM',
    executables: /^java$/,
    stopsOnSigtermAsPid1: true,
    asPid1: 'handles SIGTERM itself: it runs the shutdown hooks and exits (143)',
    handler: 'Runtime.addShutdownHook',
    source: 'https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/lang/Runtime.html#addShutdownHook(java.lang.Thread); measured with OpenJDK 17',
  },
};

export function runtimeFor(executable: string): RuntimeKnowledge | undefined {
  const base = executable.slice(executable.lastIndexOf('/') + 1).toLowerCase();
  return Object.values(RUNTIMES).find((r) => r.executables.test(base));
}

/**
 * Python programs that install their own SIGTERM handler, so `python -m X` as PID 1 stops: the
 * WSGI/ASGI servers (gunicorn: graceful stop on TERM; uvicorn: graceful on TERM and INT).
 */
const PYTHON_SERVERS = /^(gunicorn|uvicorn|hypercorn|daphne|celery)$/;

/** The Python module or script a `python …` argv runs, when it is a server that handles SIGTERM. */
export function pythonRunsSignalAwareServer(argv: readonly string[]): boolean {
  const m = argv.indexOf('-m');
  return m >= 0 && PYTHON_SERVERS.test(argv[m + 1] ?? '');
}

export interface PackageManagerKnowledge {
  manager: string;
  /** What happens to the app on SIGTERM, for messages. */
  onSigterm: string;
  source: string;
}

/**
 * `npm start` and friends as PID 1. npm forwards SIGTERM to the script's shell (`sh -c SCRIPT`)
 * and exits when it dies; on a dash /bin/sh the shell is not replaced by the app, so the app is
 * SIGKILLed by the kernel when npm, PID 1, exits (measured with npm 11 on Debian).
 */
export const PACKAGE_MANAGERS: Readonly<Record<string, PackageManagerKnowledge>> = {
  npm: {
    manager: 'npm',
    onSigterm:
      'npm runs the script under sh -c and forwards SIGTERM to that shell; where the shell does not exec the app (dash, the /bin/sh of Debian and Ubuntu images), the shell dies, npm exits, and the kernel kills the app without its graceful shutdown',
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#cmd; measured with npm 11 on Debian 12',
  },
  npx: {
    manager: 'npx',
    onSigterm: 'npx runs the program as its child; whether it forwards SIGTERM, and waits for the program, depends on the npm version',
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#cmd',
  },
  yarn: {
    manager: 'yarn',
    onSigterm: 'yarn runs the script as its child under a shell; whether SIGTERM reaches the app depends on the yarn version and the shell',
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#cmd',
  },
  pnpm: {
    manager: 'pnpm',
    onSigterm: 'pnpm runs the script as its child under a shell; whether SIGTERM reaches the app depends on the pnpm version and the shell',
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#cmd',
  },
};
