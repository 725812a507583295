import { EmbeddedPostgres, EmbeddedPostgresError } from './embedded-postgres';

describe('EmbeddedPostgres settings', () => {
  const make = (settings: Record<string, string>) =>
    new EmbeddedPostgres({ dir: '/nonexistent/harbour', port: 5999, durability: 'none', settings });

  it('takes extra settings such as a benchmark’s buffer cache', () => {
    expect(() => make({ shared_buffers: '3GB' })).not.toThrow();
  });

  it('refuses to change what the server logs or where it listens (docs/security.md T14)', () => {
    for (const key of ['log_statement', 'log_parameter_max_length', 'listen_addresses', 'port']) {
      expect(() => make({ [key]: 'all' })).toThrow(EmbeddedPostgresError);
    }
  });
});
