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
