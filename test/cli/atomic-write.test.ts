/**
 * writeFileAtomic: every form of content lands whole under the final name, and a failure leaves neither a
 * partial file nor a temporary one behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lambda/cli/atomic-write';
import { RepositoryIndex } from '../../lambda/engine';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'atomic-write-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Lines of mixed widths, multi-byte characters among them, well past one 64 KiB write batch. */
function manyLines(): string[] {
  return Array.from({ length: 20_000 }, (_, i) => `${i}: ${'é€😀'.repeat(i % 7)}${'x'.repeat(i % 50)}\n`);
}

describe('writeFileAtomic', () => {
  it('writes text, bytes, pieces and emitted lines', () => {
    const lines = manyLines();
    const text = lines.join('');
    const path = join(dir, 'index.yaml');
    for (const content of [
      text,
      Buffer.from(text),
      [Buffer.from(text.slice(0, 1000)), Buffer.from(text.slice(1000))],
      (out: { push(line: string): void }) => lines.forEach((line) => out.push(line)),
    ]) {
      writeFileSync(path, 'old');
      writeFileAtomic(path, content);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
    expect(readdirSync(dir)).toEqual(['index.yaml']);
  });

  it('emits an index as toYaml writes it', () => {
    const index = RepositoryIndex.empty();
    for (let i = 0; i < 2000; i++) {
      index.add(
        {
          apiVersion: 'v2',
          name: `chart-${i % 40}`,
          version: `1.${i}.0`,
          description: `chart number ${i} — ünïcode`,
          digest: 'a'.repeat(64),
          created: '2026-11-27T00:00:00Z',
          urls: [],
        },
        `chart-${i % 40}-1.${i}.0.tgz`,
      );
    }
    const generated = new Date('2026-11-27T12:00:00Z');
    const path = join(dir, 'index.yaml');
    writeFileAtomic(path, (out) => index.emitYaml(out, generated));
    expect(readFileSync(path, 'utf8')).toBe(index.toYaml(generated));
  });

  it('keeps the old file when emitting fails', () => {
    const path = join(dir, 'index.yaml');
    writeFileSync(path, 'old');
    const failing = (out: { push(line: string): void }): void => {
      manyLines().forEach((line) => out.push(line)); // some batches are written first
      throw new Error('emit failed');
    };
    expect(() => writeFileAtomic(path, failing)).toThrow('emit failed');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['index.yaml']);
  });

  describe('when closing the file fails (an NFS server may report a lost write only then)', () => {
    /** closeSync closes, then throws, as node does for an EIO from close(2). */
    function failingClose(): jest.SpyInstance {
      const fs = jest.requireActual<typeof import('node:fs')>('node:fs'); // the module object the code calls into
      const close = fs.closeSync;
      return jest.spyOn(fs, 'closeSync').mockImplementation((fd) => {
        close(fd);
        throw new Error('EIO: i/o error, close');
      });
    }
    afterEach(() => jest.restoreAllMocks());

    it.each([
      ['emitted lines', (out: { push(line: string): void }) => out.push('new\n')],
      ['pieces', [Buffer.from('new\n')]],
    ])('fails and keeps the old file: %s', (_, content) => {
      const path = join(dir, 'index.yaml');
      writeFileSync(path, 'old');
      const close = failingClose();
      expect(() => writeFileAtomic(path, content)).toThrow('EIO: i/o error, close');
      expect(close).toHaveBeenCalledTimes(1);
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['index.yaml']);
    });

    it('reports the error that stopped the write, not the close after it', () => {
      const path = join(dir, 'index.yaml');
      writeFileSync(path, 'old');
      const close = failingClose();
      const failing = (): void => {
        throw new Error('emit failed');
      };
      expect(() => writeFileAtomic(path, failing)).toThrow('emit failed');
      expect(close).toHaveBeenCalledTimes(1);
      expect(readFileSync(path, 'utf8')).toBe('old');
    });
  });
});
