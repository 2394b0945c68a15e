import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Human-readable output; defaults to whether stderr is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

/**
 * Structured JSON logs on stderr, pretty-printed on a terminal. Callers log ids,
 * counts, positions and hashes: never a field value from health data.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['CARELAKE_LOG_LEVEL'] ?? 'info';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);

  if (options.destination) return pino({ level, base: undefined }, options.destination as pino.DestinationStream);
  if (pretty) {
    return pino({
      level,
      base: undefined,
      transport: { target: 'pino-pretty', options: { destination: 2, ignore: 'time', singleLine: true } },
    });
  }
  return pino({ level, base: undefined }, pino.destination(2));
}

/** A logger that drops everything, for libraries used without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
