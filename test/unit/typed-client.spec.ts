import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The typed client's types are what openapi-typescript makes of the committed openapi.json (which
 * operations.e2e checks against the running app): run `npm run openapi && npm run client` when
 * this fails.
 */
describe('clients/typescript', () => {
  it('holds the types openapi-typescript generates from the committed openapi.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnigate-client-'));
    try {
      // an empty Redocly config: the CLI then writes where it is told, not where redocly.yaml says
      writeFileSync(join(dir, 'redocly.yaml'), 'extends: []\n');
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(ROOT, 'openapi.json'), '--redocly', join(dir, 'redocly.yaml'), '-o', join(dir, 'schema.d.ts')], {
        stdio: 'pipe',
        timeout: 60_000,
      });
      const generated = readFileSync(join(dir, 'schema.d.ts'), 'utf8');
      const committed = readFileSync(join(ROOT, 'clients', 'typescript', 'src', 'schema.d.ts'), 'utf8');
      expect(committed === generated ? 'up to date' : 'stale: run `npm run client`').toBe('up to date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
