import pino from 'pino';
import { redactSecrets } from './errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured facts attached to a log line. Values are redacted before they are written. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logging seam. Messages are fixed phrases (`'request retry'`, `'batch committed'`); the facts go in
 * `fields` (`syncKey`, `endpoint`, `attempt`, `delayMs`, `requestId`). Pass a thunk for costly fields.
 */
export type Logger = (level: LogLevel, message: string, fields?: LogFields | (() => LogFields)) => void;

/** A logger that drops everything. */
export const silentLogger: Logger = () => {};

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Deeply redacts secrets from a value meant for a log line or an output. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactSecrets(value.message),
      code: (value as { code?: unknown }).code,
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = /token|secret|authorization|password/i.test(k) ? '[REDACTED]' : redactValue(v, depth + 1);
  }
  return out;
}

export interface PinoLoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Where lines go. @default standard error (so that standard output stays clean for `--json`) */
  destination?: pino.DestinationStream;
}

/** A `Logger` writing JSON lines through pino, with secrets redacted. */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const p = pino({ level, base: undefined }, options.destination ?? pino.destination(2));
  return (lvl, message, fields) => {
    if (LEVEL_ORDER[lvl] < LEVEL_ORDER[level]) return;
    const facts = typeof fields === 'function' ? fields() : fields;
    p[lvl](facts ? (redactValue(facts) as object) : {}, redactSecrets(message));
  };
}
