/**
 * The library prints one line per phase by default and nothing else, so it can sit in any
 * app's logs. Pass your own logger (pino, winston, console all fit) or `false` for silence.
 */
export interface GracefulLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const PREFIX = 'zerodrop/graceful: ';

/** Writes plain lines to stderr; stderr on a pipe or file is synchronous, so lines survive `process.exit`. */
export const stderrLogger: GracefulLogger = {
  info: (message) => process.stderr.write(`${PREFIX}${message}\n`),
  warn: (message) => process.stderr.write(`${PREFIX}warning: ${message}\n`),
  error: (message) => process.stderr.write(`${PREFIX}error: ${message}\n`),
};

export const silentLogger: GracefulLogger = { info() {}, warn() {}, error() {} };

type Level = keyof GracefulLogger;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Logging must never break the shutdown it reports on: a method the logger lacks, or one that
 * throws, falls back to stderr for that line (the first throw per method is noted once).
 */
export function guardLogger(logger: Partial<Record<Level, unknown>>): GracefulLogger {
  const noted = new Set<Level>();
  const level =
    (name: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const method = logger[name];
      if (typeof method === 'function') {
        try {
          method.call(logger, message, fields);
          return;
        } catch (error) {
          if (!noted.has(name)) {
            noted.add(name);
            stderrLogger.warn(`logger.${name} threw (${messageOf(error)}); writing to stderr instead`);
          }
        }
      }
      stderrLogger[name](message);
    };
  return { info: level('info'), warn: level('warn'), error: level('error') };
}
