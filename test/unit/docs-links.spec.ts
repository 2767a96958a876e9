import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', 'dist', '.git', '.data', 'artifacts']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The docs travel with the repository: every link resolves inside it, none points at a machine's paths. */
describe('documentation links', () => {
  const files = markdownFiles(ROOT);

  it('finds the documents', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['README.md', 'CONTRACT-NOTES.md', 'docs/ARCHITECTURE.md', 'tools/rocketchat-sim/README.md']));
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s links nothing outside the repository', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\/work\/|\.\.\/shared\//);
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    for (const target of targets) {
      const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]!));
      expect({ target, inside: !relative(ROOT, path).startsWith('..') }).toEqual({ target, inside: true });
      expect({ target, exists: existsSync(path) }).toEqual({ target, exists: true });
    }
  });
});
