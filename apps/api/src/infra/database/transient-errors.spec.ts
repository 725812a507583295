import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isTransientDatabaseError } from './transient-errors';

function pgError(code: string, message = 'from the server'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransientDatabaseError', () => {
  it.each([
    ['57P01', 'a terminated backend'],
    ['57P03', 'a server still recovering'],
    ['08006', 'a connection failure'],
    ['53100', 'a full disk'],
    ['40001', 'a serialization failure'],
    ['40P01', 'a deadlock'],
    ['ECONNREFUSED', 'a server that is down'],
    ['ECONNRESET', 'a connection cut'],
  ])('%s (%s) is transient', (code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(true);
  });

  it('sees the driver error inside a TypeORM query error', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], pgError('57P01'));
    expect(isTransientDatabaseError(wrapped)).toBe(true);
  });

  it('a statement on a transaction whose lost connection was released is transient', () => {
    expect(isTransientDatabaseError(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('knows node-postgres errors that carry no code, also as a cause', () => {
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe(
      true,
    );
    const cause = new Error('Connection terminated due to connection timeout', {
      cause: pgError('ECONNREFUSED'),
    });
    expect(isTransientDatabaseError(new Error('outer', { cause }))).toBe(true);
  });

  it.each([
    ['23505', 'a unique violation'],
    ['42P01', 'a missing table'],
    ['22P02', 'an invalid value'],
    ['XX000', 'an internal error'],
  ])('%s (%s) is not transient', (code) => {
    expect(isTransientDatabaseError(pgError(code, 'Connection terminated'))).toBe(false);
  });

  it('a plain error, or something that is not an error, is not transient', () => {
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
    expect(isTransientDatabaseError('Connection terminated')).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});
