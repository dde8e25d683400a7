/** Shared pieces of the bad-input tables: the case shape and small archive builders. */
import { gzipSync } from 'node:zlib';
import {
  chartArchive,
  chartFiles,
  gzip,
  SIMPLE_CHART_YAML,
  tar,
  tarHeader,
  type TarEntrySpec,
} from '../support/chart-archive';
import type { RejectionCode } from '../../lambda/engine';

export interface BadInputCase {
  readonly title: string;
  readonly archive: () => Buffer;
  /** The rejection code, or 'accepted' where Helm loads the chart too. */
  readonly expect: RejectionCode | 'accepted';
  /** Set where we deliberately differ from Helm: why. */
  readonly helmDiffers?: string;
}

export const MiB = 1024 * 1024;
export const v2 = (body: string) => `apiVersion: v2\nname: mychart\nversion: 1.0.0\n${body}`;
export const withChartYaml = (chartYaml: string | Buffer) => () => chartArchive(chartYaml);
export const files = (entries: TarEntrySpec[]) => () => gzip(tar(entries));
/** The simple valid chart (mychart/, SIMPLE_CHART_YAML) with `extra` entries after its files. */
export const withExtraFiles = (...extra: TarEntrySpec[]) => files(chartFiles(SIMPLE_CHART_YAML, 'mychart', extra));

export function aliasBomb(): string {
  const lines = [
    'apiVersion: v2',
    'name: mychart',
    'version: 1.0.0',
    'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return `${lines.join('\n')}\n`;
}

/** A tar whose single entry claims `size` bytes of zeros; only the first MiB is actually present. */
export function hugeEntry(size: number): Buffer {
  const header = tarHeader({ name: 'mychart/templates/big.yaml', size }, size);
  return gzipSync(
    Buffer.concat([
      tarHeader({ name: 'mychart/Chart.yaml' }, SIMPLE_CHART_YAML.length),
      padded(SIMPLE_CHART_YAML),
      header,
      Buffer.alloc(MiB),
    ]),
  );
}

function padded(s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
}
