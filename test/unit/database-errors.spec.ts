import { isDatabaseUnavailable } from '../../src/common/errors/database-errors';

describe('isDatabaseUnavailable', () => {
  const withProps = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

  it.each([
    ['a refused connection', withProps('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['a reset connection', withProps('read ECONNRESET', { code: 'ECONNRESET' })],
    ['PostgreSQL starting up', withProps('the database system is starting up', { code: '57P03' })],
    ['an administrator shutdown, wrapped by TypeORM', withProps('terminating connection', { driverError: withProps('terminating connection', { code: '57P01' }) })],
    ['a released query runner', withProps('Database connection provided by a query runner was already released', { name: 'QueryRunnerProviderAlreadyReleasedError' })],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('recognises %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withProps('duplicate key', { code: '23505' })],
    ['a syntax error', withProps('syntax error', { code: '42601' })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('does not mistake %s for an outage', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
