import { ConfigError, loadConfig } from '../../src/config/app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ port: 8080, host: '0.0.0.0', bodyLimitBytes: 1048576, corsOrigins: [] });
    expect(c.database).toMatchObject({ url: undefined, poolSize: 10, runMigrations: true });
    expect(c.database.dataDir).toMatch(/\/\.data$/);
    expect(c.rocketchat).toEqual({ url: 'http://localhost:3000', timeoutMs: 5000, userId: undefined, authToken: undefined, webhookToken: undefined });
    expect(c.logLevel).toBe('info');
  });

  it('parses numbers and booleans and trims the Rocket.Chat URL', () => {
    const c = loadConfig({ PORT: '9000', DATABASE_RUN_MIGRATIONS: 'off', ROCKETCHAT_URL: 'https://chat.example.com/' });
    expect(c.http.port).toBe(9000);
    expect(c.database.runMigrations).toBe(false);
    expect(c.rocketchat.url).toBe('https://chat.example.com');
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ ROCKETCHAT_URL: 'chat.example.com' }, 'ROCKETCHAT_URL must be an http(s) URL (got "chat.example.com")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
    [{ ROCKETCHAT_WEBHOOK_TOKEN: 'short' }, 'ROCKETCHAT_WEBHOOK_TOKEN must be at least 16 characters long'],
    [{ ROCKETCHAT_USER_ID: 'abc' }, 'ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN must be set together'],
    [{ CORS_ORIGINS: 'chat.example.com' }, 'CORS_ORIGINS must be * or a comma-separated list of origins like https://chat.example.com (got "chat.example.com")'],
  ])('refuses %j with one line naming the variable', (env, reason) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(`Invalid configuration: ${reason}`));
  });

  it('reads CORS origins as a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).http.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', OMNIGATE_ADMIN_KEY: '' }).database.url).toBeUndefined();
  });
});
