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
});
