/** The levels a config may name, lowest first; `WARN` is accepted for `WARNING` by the schema. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

import { redactSecrets, redactString } from './redact.ts';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for one module; its name prefixes every line ("scheduler: …"). */
  child(name: string): Logger;
}

export interface LogOutput {
  write(line: string): void;
}

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

export interface LogRouter {
  logger: Logger;
  setLevel(level: LogLevel): void;
  setOutputs(outputs: LogOutput[]): void;
}

const formatValue = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
};

/**
 * A small leveled logger: one text line per event, `time LEVEL module: message key=value`, secrets redacted.
 * Chosen over pino because a one-shot `argus` logs a handful of lines and pino's import alone costs ~14 ms.
 */
export function createLogRouter(options: { level: LogLevel; outputs: LogOutput[]; now?: () => Date }): LogRouter {
  let threshold = RANK[options.level];
  let outputs = options.outputs;
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, name: string, message: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const safeFields = fields ? (redactSecrets(fields) as LogFields) : {};
    const tail = Object.entries(safeFields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => ` ${key}=${formatValue(value)}`)
      .join('');
    const line = `${now().toISOString()} ${level.padEnd(7)} ${name}: ${redactString(message)}${tail}\n`;
    for (const output of outputs) output.write(line);
  };
  const make = (name: string): Logger => ({
    debug: (message, fields) => emit('DEBUG', name, message, fields),
    info: (message, fields) => emit('INFO', name, message, fields),
    warning: (message, fields) => emit('WARNING', name, message, fields),
    error: (message, fields) => emit('ERROR', name, message, fields),
    child: (child) => make(`${name}.${child}`),
  });
  return {
    logger: make('argus'),
    setLevel: (level) => {
      threshold = RANK[level];
    },
    setOutputs: (next) => {
      outputs = next;
    },
  };
}
