/**
 * readChartArchiveBuffer (the one-shot path for archives in memory) must answer exactly as the streaming
 * readChartArchive does on the same bytes: same metadata and digest, or the same rejection code and message.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { ChartRejectedError, readChartArchive, readChartArchiveBuffer } from '../../lambda/engine';
import { chunks, gzip, tar } from '../support/chart-archive';
import { generateChartArchive, rawChartCorpus } from '../support/chart-corpus';
import { BAD_INPUT_CASES } from './bad-input-cases';

async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ChartRejectedError)) throw error;
    return { code: error.code, message: error.message };
  }
}

const cases: Array<[string, () => Buffer]> = [
  ...BAD_INPUT_CASES.map((c) => [`bad input: ${c.title}`, c.archive] as [string, () => Buffer]),
  ...rawChartCorpus().map((c) => [`raw corpus: ${c.file}`, () => gzip(tar(c.entries))] as [string, () => Buffer]),
  ['a 200 KB generated chart', () => generateChartArchive({ name: 'big', version: '1.0.0', sizeBytes: 200_000 })],
  ['two gzip members', gzipTwoMembers],
];

function gzipTwoMembers(): Buffer {
  // The tar split across two gzip members: valid for Go (multistream) and node; the trailer size covers only the
  // second member, so the one-shot path must hand over to streaming.
  const tar = gunzipSync(generateChartArchive({ name: 'split', version: '1.0.0', sizeBytes: 20_000 }));
  return Buffer.concat([gzipSync(tar.subarray(0, 10_000)), gzipSync(tar.subarray(10_000))]);
}

describe('readChartArchiveBuffer', () => {
  it.each(cases)('answers as readChartArchive: %s', async (_title, archive) => {
    const bytes = archive();
    const file = 'stable/x-1.0.0.tgz';
    const streamed = await outcome(() => readChartArchive(chunks(bytes), { file }));
    const whole = await outcome(() => readChartArchiveBuffer(bytes, { file }));
    expect(whole).toEqual(streamed);
  });

  it('covers accepted and rejected archives', async () => {
    const verdicts = await Promise.all(
      cases.map(([, archive]) => outcome(() => readChartArchiveBuffer(archive(), { file: 'x.tgz' }))),
    );
    expect(verdicts.filter((v) => (v as { code?: string }).code !== undefined).length).toBeGreaterThanOrEqual(25);
    expect(verdicts.filter((v) => (v as { digest?: string }).digest !== undefined).length).toBeGreaterThanOrEqual(25);
  });
});
