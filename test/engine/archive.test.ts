/** readChartArchive's contract beyond rejections: digest and size of the exact bytes, any chunking, I/O errors. */
import { createHash } from 'node:crypto';
import { ChartRejectedError, readChartArchive } from '../../lambda/engine';
import { chartArchive, chartFiles, chunks, gzip, tar } from '../support/chart-archive';

describe('readChartArchive', () => {
  const archive = chartArchive(
    'apiVersion: v2\nname: mychart\nversion: 1.2.3\nappVersion: "4.5"\ndescription: test\nkeywords: [a, b]\n',
    [{ name: 'mychart/files/blob.bin', data: Buffer.alloc(300_000, 7) }],
  );

  it('returns the sha256 of the exact bytes, the size and the metadata', async () => {
    const result = await readChartArchive(chunks(archive), { file: 'mychart-1.2.3.tgz' });
    expect(result.digest).toBe(createHash('sha256').update(archive).digest('hex'));
    expect(result.sizeBytes).toBe(archive.length);
    expect(result.metadata).toEqual({
      name: 'mychart',
      version: '1.2.3',
      description: 'test',
      keywords: ['a', 'b'],
      apiVersion: 'v2',
      appVersion: '4.5',
    });
  });

  it.each([1, 7, 511, 512, 513, 65_536])('gives the same answer for %d-byte chunks', async (size) => {
    const result = await readChartArchive(chunks(archive, size), { file: 'x.tgz' });
    expect(result.digest).toBe(createHash('sha256').update(archive).digest('hex'));
    expect(result.metadata.name).toBe('mychart');
  });

  it('lets I/O errors of the source through unchanged', async () => {
    const failure = new Error('socket hang up');
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield archive.subarray(0, 100);
      throw failure;
    }
    await expect(readChartArchive(broken(), { file: 'x.tgz' })).rejects.toBe(failure);
  });

  it('honours tighter limits', async () => {
    const error = await readChartArchive(chunks(archive), { file: 'x.tgz', limits: { maxFileBytes: 100_000 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChartRejectedError);
    expect((error as ChartRejectedError).code).toBe('file-too-large');
    const small = await readChartArchive(chunks(archive), { file: 'x.tgz', limits: { maxArchiveBytes: 100 } }).catch(
      (e: unknown) => e,
    );
    expect((small as ChartRejectedError).code).toBe('archive-too-large');
  });

  it('reads apiVersion v1 dependencies from requirements.yaml', async () => {
    const v1 = gzip(
      tar([
        ...chartFiles('name: legacy\nversion: 0.1.0\n', 'legacy'),
        {
          name: 'legacy/requirements.yaml',
          data: 'dependencies:\n- name: redis\n  version: ~1.0\n  repository: https://charts.example.com\n  condition: redis.enabled\n  tags: [cache]\n  import-values: [data]\n',
        },
      ]),
    );
    const result = await readChartArchive(chunks(v1), { file: 'legacy-0.1.0.tgz' });
    expect(result.metadata.apiVersion).toBe('v1');
    expect(result.metadata.dependencies).toEqual([
      {
        name: 'redis',
        version: '~1.0',
        repository: 'https://charts.example.com',
        condition: 'redis.enabled',
        tags: ['cache'],
        'import-values': ['data'],
      },
    ]);
  });
});
