import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config';
import { currentCorrelationId } from './request-context';

/**
 * Keys whose values never reach a log line, at any of the first three levels of a logged object.
 * Request bodies of case endpoints are never logged at all; this list is the second line.
 */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-xsrf-token',
  'password',
  'currentPassword',
  'newPassword',
  'totp',
  'totpSecret',
  'secret',
  'token',
  'sessionId',
  'identity',
  'givenName',
  'familyName',
  'alias',
  'name',
  'dateOfBirth',
  'phone',
  'email',
  'notes',
  'purpose',
  'query',
  'masterKey',
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string): string =>
      segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`;
    paths.push(segment.startsWith('[') ? segment : key, join('*'), join('*.*'));
  }
  return paths;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'harbour-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ correlationId: currentCorrelationId() }),
      redact: { paths: redactPaths(), censor: '[REDACTED]' },
    },
    destination,
  );
}

const NEST_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Routes Nest's own log calls (module init, route mapping, errors) into pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    // Nest's start-up chatter (one line per module and route) is detail, not news.
    const context = rest[rest.length - 1];
    const chatter = typeof context === 'string' && NEST_CHATTER.has(context);
    this.write(chatter ? 'debug' : 'info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: describeError(message) }, 'error');
    } else {
      this.logger[level](
        { context },
        typeof message === 'string' ? message : JSON.stringify(message),
      );
    }
  }
}

/**
 * What may be logged about an unexpected error: its class, driver codes and stack frames, but
 * not its message, which can quote values (a database error detail, a failed decrypt input).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const described: Record<string, unknown> = { type: error.name };
  const driver = error as Error & {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    routine?: unknown;
    driverError?: unknown;
  };
  const source = (
    driver.driverError instanceof Error ? driver.driverError : driver
  ) as typeof driver;
  for (const key of ['code', 'constraint', 'table', 'routine'] as const) {
    if (typeof source[key] === 'string') described[key] = source[key];
  }
  if (typeof error.stack === 'string') {
    described['stack'] = error.stack
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 15)
      .map((line) => line.trim());
  }
  return described;
}
