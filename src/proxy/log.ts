/**
 * The proxy's logger: one line per event to stderr (stdout carries protocol only) or to a log
 * file, with every known secret value masked. Secrets are registered as they are resolved and
 * only ever held in memory.
 */
import fs from 'node:fs';
import {redact} from '../secrets/mask.js';
import type {LogLevel} from './config.js';

const RANK: Record<LogLevel, number> = {error: 0, warn: 1, info: 2, debug: 3};

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Mask these values in every later line (and in text passed to `mask`). */
  addSecrets(values: Iterable<string>): void;
  /** `text` with every registered secret masked. */
  mask(text: string): string;
  /** The registered secret values (for the audit log's redaction). */
  secrets(): Iterable<string>;
  level: LogLevel;
}

/** A logger writing to `file` (appending, mode 0600) or to stderr. */
export function createLogger(level: LogLevel = 'info', file?: string): Logger {
  const secrets = new Set<string>();
  let fd: number | undefined;
  if (file) {
    try {
      fd = fs.openSync(file, 'a', 0o600);
    } catch (error) {
      process.stderr.write(`mcpx serve: cannot open log file ${file} (${(error as Error).message}); logging to stderr\n`);
    }
  }
  const write = (lvl: LogLevel, message: string) => {
    if (RANK[lvl] > RANK[logger.level]) return;
    const line = `${new Date().toISOString()} mcpx serve ${lvl}: ${redact(message, secrets)}\n`;
    try {
      if (fd === undefined) process.stderr.write(line);
      else fs.writeSync(fd, line);
    } catch {
      // a closed stderr must not crash the proxy
    }
  };
  const logger: Logger = {
    level,
    error: (m) => write('error', m),
    warn: (m) => write('warn', m),
    info: (m) => write('info', m),
    debug: (m) => write('debug', m),
    addSecrets(values) {
      for (const v of values) if (v.length >= 4) secrets.add(v);
    },
    mask: (text) => redact(text, secrets),
    secrets: () => secrets,
  };
  return logger;
}
