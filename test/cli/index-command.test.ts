/**
 * The bundled `chart-repo index` as a user runs it: help, exit statuses, skipped archives on stderr, clean
 * piped output, atomic writes, --merge edge cases. Parity of the index itself with helm: index-parity.test.ts.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { generateChartArchive } from '../support/chart-corpus';
import { chartRepoBundle, runChartRepo } from '../support/chart-repo-cli';

let root: string;
let counter = 0;

function folder(files: Record<string, Buffer | string> = {}): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const chart = (name: string, version: string) => generateChartArchive({ name, version });

beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'chart-repo-cli-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('chart-repo index', () => {
  it('documents the command and its flags in --help', () => {
    const result = runChartRepo(['index', '--help']);
    expect(result.status).toBe(0);
    for (const text of [
      'Usage: chart-repo index [options] <DIR>',
      '--url <URL>',
      '--merge <FILE>',
      '--json',
      '--threads <N>',
      'Exit status',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(runChartRepo(['--help']).stdout).toMatch(/index \[options\] <DIR>\s+write DIR\/index.yaml/);
  });

  it('exits quietly when the reader of --help closes the pipe early', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${chartRepoBundle}" index --help | head -1`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('Usage: chart-repo index [options] <DIR>\n');
    expect(result.stderr).toBe('');
  });

  it.each([
    ['no DIR', ['index']],
    ['an unknown flag', ['index', '.', '--nope']],
    ['--url without a value', ['index', '.', '--url']],
    ['an unknown command', ['frobnicate']],
    ['a DIR that does not exist', ['index', '/nonexistent/charts']],
  ])('exits 2 on a usage error: %s', (_, args) => {
    const result = runChartRepo(args);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toBe('');
  });

  it('writes index.yaml, lists each skipped file with its reason on stderr, and exits 0', () => {
    const dir = folder({
      'good-1.0.0.tgz': chart('good', '1.0.0'),
      'not-gzip-1.0.0.tgz': 'plain text',
      'empty-1.0.0.tgz': '',
      'team/nested-2.0.0.tgz': chart('nested', '2.0.0'),
      'README.md': 'not an archive',
    });
    const result = runChartRepo(['index', dir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    const skipped = result.stderr.trim().split('\n');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/^skipped empty-1\.0\.0\.tgz: .+; expected .+/);
    expect(skipped[1]).toMatch(/^skipped not-gzip-1\.0\.0\.tgz: .+; expected .+/);
    const index = load(readFileSync(join(dir, 'index.yaml'), 'utf8')) as {
      entries: Record<string, { urls: string[] }[]>;
    };
    expect(Object.keys(index.entries).sort()).toEqual(['good', 'nested']);
    expect(index.entries.nested[0].urls).toEqual(['team/nested-2.0.0.tgz']);
  });

  it('keeps piped stderr free of progress lines and terminal escapes', () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 60; i++) files[`c${i}-1.0.0.tgz`] = chart(`c${i}`, '1.0.0');
    const result = runChartRepo(['index', folder(files)]);
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('uses each archive mtime as created, so re-indexing an unchanged folder changes nothing but generated', () => {
    const dir = folder({ 'a-1.0.0.tgz': chart('a', '1.0.0') });
    utimesSync(join(dir, 'a-1.0.0.tgz'), new Date('2024-05-06T07:08:09.5Z'), new Date('2024-05-06T07:08:09.5Z'));
    runChartRepo(['index', dir]);
    const first = readFileSync(join(dir, 'index.yaml'), 'utf8');
    expect(first).toMatch(/created: "?2024-05-06T07:08:09\.5Z"?/);
    runChartRepo(['index', dir]);
    const withoutGenerated = (text: string) => text.replace(/generated: .*/, '');
    expect(withoutGenerated(readFileSync(join(dir, 'index.yaml'), 'utf8'))).toBe(withoutGenerated(first));
  });

  it('writes JSON with --json, still to index.yaml, and leaves no temporary file', () => {
    const dir = folder({ 'a-1.0.0.tgz': chart('a', '1.0.0') });
    expect(runChartRepo(['index', dir, '--json']).status).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, 'index.yaml'), 'utf8'));
    expect(index.entries.a[0]).toMatchObject({ name: 'a', version: '1.0.0', urls: ['a-1.0.0.tgz'] });
    expect(readdirSync(dir).sort()).toEqual(['a-1.0.0.tgz', 'index.yaml']);
  });

  it('percent-encodes + in urls (S3 would read it as a space)', () => {
    const dir = folder({ 'a-1.0.0+build.1.tgz': chart('a', '1.0.0+build.1') });
    runChartRepo(['index', dir, '--url', 'https://charts.example.com/x']);
    const index = load(readFileSync(join(dir, 'index.yaml'), 'utf8')) as {
      entries: Record<string, { urls: string[] }[]>;
    };
    expect(index.entries.a[0].urls).toEqual(['https://charts.example.com/x/a-1.0.0%2Bbuild.1.tgz']);
  });

  it('follows a symlinked sub-folder and skips a .tgz that is a folder', () => {
    const target = folder({ 'linked-1.0.0.tgz': chart('linked', '1.0.0') });
    const dir = folder({ 'folder.tgz/x': 'y' });
    symlinkSync(target, join(dir, 'shared'));
    const result = runChartRepo(['index', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^skipped folder\.tgz: not a regular file/m);
    const index = load(readFileSync(join(dir, 'index.yaml'), 'utf8')) as {
      entries: Record<string, { urls: string[] }[]>;
    };
    expect(index.entries.linked[0].urls).toEqual(['shared/linked-1.0.0.tgz']);
  });

  describe('--threads', () => {
    // Enough archives that every thread gets several, with bad ones spread among them.
    const mixed = (): string => {
      const files: Record<string, Buffer | string> = {};
      for (let i = 0; i < 40; i++)
        files[`c${String(i).padStart(2, '0')}-1.${i % 3}.0.tgz`] = chart(`c${i % 7}`, `1.${i}.0`);
      for (const i of [3, 17, 29]) files[`c${i}-bad-1.0.0.tgz`] = `not an archive ${i}`;
      files['team/nested-2.0.0.tgz'] = chart('nested', '2.0.0');
      return folder(files);
    };

    it('writes the same index and the same skipped list, in file order, on one thread or several', () => {
      const dir = mixed();
      const outputs = ['1', '2', '4'].map((threads) => {
        const result = runChartRepo(['index', dir, '--threads', threads]);
        expect(result.status).toBe(0);
        return {
          index: readFileSync(join(dir, 'index.yaml'), 'utf8').replace(/generated: .*/, ''),
          stderr: result.stderr,
        };
      });
      expect(outputs[0].stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^skipped c17-bad-1\.0\.0\.tgz: /),
        expect.stringMatching(/^skipped c29-bad-1\.0\.0\.tgz: /),
        expect.stringMatching(/^skipped c3-bad-1\.0\.0\.tgz: /),
      ]);
      expect((outputs[0].index.match(/digest:/g) ?? []).length).toBe(41);
      expect(outputs[1]).toEqual(outputs[0]);
      expect(outputs[2]).toEqual(outputs[0]);
    });

    it('exits 1 naming the file when an archive cannot be read, whichever thread reads it', () => {
      const dir = mixed();
      symlinkSync(join(dir, 'nowhere'), join(dir, 'c20-dangling-1.0.0.tgz'));
      for (const threads of ['1', '2']) {
        const result = runChartRepo(['index', dir, '--threads', threads]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^chart-repo: error: .*c20-dangling-1\.0\.0\.tgz/m);
      }
    });

    it.each(['0', '-1', 'two'])('refuses --threads %s as a usage error', (value) => {
      const result = runChartRepo(['index', '.', '--threads', value]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--threads.*expected a whole number >= 1/);
    });
  });

  it('exits 1 with the reason when the --merge file is not an index', () => {
    const dir = folder({ 'a-1.0.0.tgz': chart('a', '1.0.0'), 'bad.yaml': 'entries: [not, a, map' });
    const result = runChartRepo(['index', dir, '--merge', join(dir, 'bad.yaml')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^chart-repo: error: merge failed: .*bad\.yaml/);
  });

  it('exits 1 on an I/O error (unwritable folder)', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make index.yaml a folder instead, which no one can replace with a file.
      const dir = folder({ 'a-1.0.0.tgz': chart('a', '1.0.0'), 'index.yaml/keep': '' });
      const result = runChartRepo(['index', dir]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^chart-repo: error: .*index\.yaml/);
      return;
    }
    const dir = folder({ 'a-1.0.0.tgz': chart('a', '1.0.0') });
    chmodSync(dir, 0o555);
    expect(runChartRepo(['index', dir]).status).toBe(1);
  });
});
