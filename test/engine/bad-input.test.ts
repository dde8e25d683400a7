/**
 * The bad-input suite: every malformed archive is rejected with the expected code and a message naming the file;
 * where Helm loads an odd archive, we accept it too. The last test asks the real helm v4 for its verdict on the
 * same bytes, so "as Helm does" is checked, not assumed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartRejectedError, readChartArchive } from '../../lambda/engine';
import { chunks } from '../support/chart-archive';
import { helmBinary } from '../support/tools';
import { BAD_INPUT_CASES } from './bad-input-cases';

async function verdict(archive: Buffer, file: string): Promise<string> {
  try {
    await readChartArchive(chunks(archive), { file });
    return 'accepted';
  } catch (error) {
    if (error instanceof ChartRejectedError) return error.code;
    throw error;
  }
}

describe('bad input', () => {
  it('has at least 25 malformed archives', () => {
    expect(BAD_INPUT_CASES.filter((c) => c.expect !== 'accepted').length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD_INPUT_CASES.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const file = `stable/${c.title.replace(/[^a-z0-9]+/gi, '-')}.tgz`;
    const archive = c.archive();
    if (c.expect === 'accepted') {
      const result = await readChartArchive(chunks(archive), { file });
      expect(result.metadata.name).toBeTruthy();
      return;
    }
    const error = await readChartArchive(chunks(archive), { file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChartRejectedError);
    const rejection = error as ChartRejectedError;
    expect(rejection.code).toBe(c.expect);
    expect(rejection.file).toBe(file);
    expect(rejection.message).toContain(file);
    expect(rejection.message).toContain('expected');
    expect(rejection.reason.length).toBeGreaterThan(5);
  });

  it('rejects a gzip bomb (26 x 4 MiB of zeros) fast, with bounded memory', async () => {
    const bomb = BAD_INPUT_CASES.find((c) => c.title.startsWith('gzip bomb: 26'));
    const archive = bomb!.archive();
    const before = process.memoryUsage().rss;
    const started = Date.now();
    expect(await verdict(archive, 'bomb.tgz')).toBe('chart-too-large');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('agrees with the real helm on which archives load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
    try {
      const expected: Record<string, boolean> = {};
      const ours: Record<string, boolean> = {};
      for (const [i, c] of BAD_INPUT_CASES.entries()) {
        const name = `case-${String(i).padStart(2, '0')}.tgz`;
        const archive = c.archive();
        writeFileSync(join(dir, name), archive);
        ours[name] = (await verdict(archive, name)) === 'accepted';
        expected[name] = c.helmDiffers ? !ours[name] : ours[name];
      }
      execFileSync(helmBinary(), ['repo', 'index', dir], { stdio: 'pipe' });
      const index = readFileSync(join(dir, 'index.yaml'), 'utf8');
      const helm: Record<string, boolean> = {};
      for (const name of Object.keys(expected)) helm[name] = index.includes(`- ${name}\n`);
      const titled = (m: Record<string, boolean>) =>
        Object.fromEntries(
          Object.entries(m).map(([k, v]) => [`${k} ${BAD_INPUT_CASES[Number(k.slice(5, 7))].title}`, v]),
        );
      expect(titled(helm)).toEqual(titled(expected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
