/**
 * Malformed (and oddly formed) chart archives, each with what we must answer and what Helm answers. Built in
 * memory with test/support/chart-archive, so every byte is deliberate.
 */
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

const MiB = 1024 * 1024;
const v2 = (body: string) => `apiVersion: v2\nname: mychart\nversion: 1.0.0\n${body}`;
const withChartYaml = (chartYaml: string | Buffer) => () => chartArchive(chartYaml);
const files = (entries: TarEntrySpec[]) => () => gzip(tar(entries));

function aliasBomb(): string {
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
function hugeEntry(size: number): Buffer {
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

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  { title: 'empty file', archive: () => Buffer.alloc(0), expect: 'empty-file' },
  { title: 'not gzip (a YAML file)', archive: () => Buffer.from(SIMPLE_CHART_YAML), expect: 'not-gzip' },
  { title: 'truncated gzip', archive: () => chartArchive().subarray(0, 60), expect: 'truncated' },
  {
    title: 'gzip that is not a tar',
    archive: () => gzip(Buffer.from('hello, this is not a tar archive\n'.repeat(40))),
    expect: 'not-tar',
  },
  { title: 'gzip of a few bytes', archive: () => gzip(Buffer.from('hi')), expect: 'not-tar' },
  {
    title: 'corrupt deflate data',
    archive: () => {
      const b = Buffer.from(chartArchive());
      b.fill(0xff, 10, 40);
      return b;
    },
    expect: 'corrupt-gzip',
  },
  {
    title: 'tar without Chart.yaml',
    archive: files([{ name: 'mychart/values.yaml', data: 'a: 1\n' }]),
    expect: 'missing-chart-yaml',
  },
  { title: 'tar with only directories', archive: files([{ name: 'mychart/', type: '5' }]), expect: 'no-files' },
  { title: 'empty tar', archive: files([]), expect: 'no-files' },
  { title: 'Chart.yaml not YAML', archive: withChartYaml('name: [unclosed\nversion: 1.0.0\n'), expect: 'invalid-yaml' },
  {
    title: 'Chart.yaml not UTF-8',
    archive: () =>
      chartArchive(Buffer.concat([Buffer.from(v2('description: ')), Buffer.from([0xff, 0xfe]), Buffer.from('\n')])),
    expect: 'invalid-yaml',
  },
  { title: 'Chart.yaml is a list', archive: withChartYaml('- name: mychart\n'), expect: 'invalid-field-type' },
  { title: 'missing name', archive: withChartYaml('apiVersion: v2\nversion: 1.0.0\n'), expect: 'missing-name' },
  { title: 'missing version', archive: withChartYaml('apiVersion: v2\nname: mychart\n'), expect: 'missing-version' },
  {
    title: 'invalid SemVer',
    archive: withChartYaml('apiVersion: v2\nname: mychart\nversion: 1.2.3.4\n'),
    expect: 'invalid-version',
  },
  {
    title: 'SemVer with leading-zero pre-release',
    archive: withChartYaml('apiVersion: v2\nname: mychart\nversion: 1.2.3-01\n'),
    expect: 'invalid-version',
  },
  {
    title: 'coercible version v1.2 (Helm accepts)',
    archive: withChartYaml('apiVersion: v2\nname: mychart\nversion: v1.2\n'),
    expect: 'accepted',
  },
  {
    title: 'name with a slash',
    archive: withChartYaml('apiVersion: v2\nname: my/chart\nversion: 1.0.0\n'),
    expect: 'invalid-name',
  },
  {
    title: 'name ".."',
    archive: withChartYaml('apiVersion: v2\nname: ".."\nversion: 1.0.0\n'),
    expect: 'invalid-name',
  },
  {
    title: 'version is a list',
    archive: withChartYaml('apiVersion: v2\nname: mychart\nversion: [1]\n'),
    expect: 'invalid-field-type',
  },
  {
    title: 'deprecated is a quoted string',
    archive: withChartYaml(v2('deprecated: "yes"\n')),
    expect: 'invalid-field-type',
  },
  {
    title: 'wrong apiVersion v3 (the v2 loader accepts any)',
    archive: withChartYaml('apiVersion: v3\nname: mychart\nversion: 1.0.0\n'),
    expect: 'accepted',
  },
  { title: 'invalid type', archive: withChartYaml(v2('type: plugin\n')), expect: 'invalid-type' },
  {
    title: 'dependency alias with a dot',
    archive: withChartYaml(v2('dependencies:\n- name: redis\n  repository: https://x\n  alias: my.redis\n')),
    expect: 'invalid-dependency',
  },
  { title: 'null dependency', archive: withChartYaml(v2('dependencies:\n- \n')), expect: 'invalid-dependency' },
  {
    title: 'duplicate dependency',
    archive: withChartYaml(
      v2('dependencies:\n- name: redis\n  repository: https://x\n- name: redis\n  repository: https://y\n'),
    ),
    expect: 'duplicate-dependency',
  },
  { title: 'null maintainer', archive: withChartYaml(v2('maintainers:\n- \n')), expect: 'invalid-maintainer' },
  {
    title: 'maintainer is a string',
    archive: withChartYaml(v2('maintainers:\n- alice\n')),
    expect: 'invalid-field-type',
  },
  {
    title: 'Chart.yaml outside the chart folder',
    archive: files([{ name: 'Chart.yaml', data: SIMPLE_CHART_YAML }]),
    expect: 'outside-chart',
  },
  {
    title: 'path traversal',
    archive: files([...chartFiles(SIMPLE_CHART_YAML), { name: 'mychart/../../etc/passwd', data: 'x' }]),
    expect: 'path-traversal',
  },
  {
    title: 'absolute path inside the chart',
    archive: files([...chartFiles(SIMPLE_CHART_YAML), { name: 'mychart//etc/passwd', data: 'x' }]),
    expect: 'absolute-path',
  },
  {
    title: 'drive letter path',
    archive: files([...chartFiles(SIMPLE_CHART_YAML), { name: 'mychart/c:/evil', data: 'x' }]),
    expect: 'illegal-file-name',
  },
  {
    title: 'file named ..foo (Helm reads it as traversal)',
    archive: files([...chartFiles(SIMPLE_CHART_YAML), { name: 'mychart/..foo', data: 'x' }]),
    expect: 'path-traversal',
  },
  {
    title: 'symlink in templates (Helm loads it as an empty file)',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/templates/link.yaml', type: '2', linkname: '/etc/passwd' },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'symlink as Chart.yaml (empty to Helm)',
    archive: files([{ name: 'mychart/Chart.yaml', type: '2', linkname: '../Chart.yaml' }]),
    expect: 'missing-name',
  },
  {
    title: 'hard link (Helm loads it as an empty file)',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/templates/hard.yaml', type: '1', linkname: 'mychart/values.yaml' },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'two chart folders in one archive (Helm merges their Chart.yaml)',
    archive: files([
      { name: 'a/Chart.yaml', data: SIMPLE_CHART_YAML },
      { name: 'b/Chart.yaml', data: 'apiVersion: v2\nname: other\nversion: 2.0.0\n' },
    ]),
    expect: 'accepted',
  },
  {
    title: 'oversize file (6 MiB)',
    archive: files([...chartFiles(SIMPLE_CHART_YAML), { name: 'mychart/files/big.bin', data: Buffer.alloc(6 * MiB) }]),
    expect: 'file-too-large',
  },
  {
    title: 'gzip bomb: one entry claiming 10 GiB',
    archive: () => hugeEntry(10 * 1024 * MiB),
    expect: 'chart-too-large',
  },
  {
    title: 'gzip bomb: 26 files of 4 MiB (over 100 MiB unpacked)',
    archive: files([
      ...chartFiles(SIMPLE_CHART_YAML),
      ...Array.from({ length: 26 }, (_, i) => ({ name: `mychart/files/f${i}.bin`, data: Buffer.alloc(4 * MiB) })),
    ]),
    expect: 'chart-too-large',
  },
  { title: 'YAML alias bomb', archive: withChartYaml(aliasBomb()), expect: 'yaml-alias-bomb' },
  {
    title: 'YAML nested 10,001 deep',
    archive: withChartYaml(v2(`extra: ${'['.repeat(10001)}${']'.repeat(10001)}\n`)),
    expect: 'yaml-too-deep',
  },
  {
    title: 'YAML nested 2,000 deep',
    archive: withChartYaml(v2(`extra: ${'['.repeat(2000)}${']'.repeat(2000)}\n`)),
    expect: 'yaml-too-deep',
    helmDiffers: 'go-yaml allows 10,000 levels; js-yaml overflows the stack past a few thousand, so we stop at 1,000',
  },
  {
    title: 'NaN in an unknown field (not JSON)',
    archive: withChartYaml(v2('extra: .nan\n')),
    expect: 'invalid-field-type',
  },
  {
    title: 'bad header checksum on the second entry',
    archive: files([
      { name: 'mychart/Chart.yaml', data: SIMPLE_CHART_YAML },
      { name: 'mychart/values.yaml', data: 'a: 1\n', badChecksum: true },
    ]),
    expect: 'corrupt-tar',
  },
  {
    title: 'tar cut in the middle of a file',
    archive: () => gzip(tar(chartFiles(SIMPLE_CHART_YAML)).subarray(0, 1024 + 100)),
    expect: 'truncated',
  },
  {
    title: 'tar without the end marker',
    archive: () => gzip(tar(chartFiles(SIMPLE_CHART_YAML), { endMarker: false })),
    expect: 'accepted',
  },
  {
    title: 'garbage after the gzip stream',
    archive: () => Buffer.concat([chartArchive(), Buffer.from('trailing garbage')]),
    expect: 'accepted',
  },
  {
    title: 'corrupt gzip trailer after the tar end',
    archive: () => {
      const b = Buffer.from(chartArchive());
      b[b.length - 5] ^= 0xff;
      return b;
    },
    expect: 'accepted',
  },
  {
    title: 'gzip trailer cut off after the tar end',
    archive: () => chartArchive().subarray(0, chartArchive().length - 4),
    expect: 'accepted',
  },
  {
    title: 'two gzip members (tar split across them)',
    archive: () => {
      const t = tar(chartFiles(SIMPLE_CHART_YAML));
      return Buffer.concat([gzip(t.subarray(0, 1024)), gzip(t.subarray(1024))]);
    },
    expect: 'accepted',
  },
  {
    title: 'tar without end marker, then garbage after the gzip member',
    archive: () =>
      Buffer.concat([gzip(tar(chartFiles(SIMPLE_CHART_YAML), { endMarker: false })), Buffer.from('garbage!garbage!')]),
    expect: 'corrupt-gzip',
  },
  {
    title: 'values.yaml not YAML',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML).map((e) => (e.name.endsWith('values.yaml') ? { ...e, data: 'a: [\n' } : e)),
    ),
    expect: 'invalid-values',
  },
  {
    title: 'values.yaml is a list',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML).map((e) => (e.name.endsWith('values.yaml') ? { ...e, data: '- a\n- b\n' } : e)),
    ),
    expect: 'invalid-values',
  },
  {
    title: 'values.yaml with a bad document separator',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML).map((e) =>
        e.name.endsWith('values.yaml') ? { ...e, data: 'a: 1\n--- b: 2\n' } : e,
      ),
    ),
    expect: 'invalid-values',
  },
  {
    title: 'values.yaml with several documents',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML).map((e) =>
        e.name.endsWith('values.yaml') ? { ...e, data: '---\na: 1\n--- # second\nb: 2\n---\n' } : e,
      ),
    ),
    expect: 'accepted',
  },
  {
    title: 'Chart.lock not YAML',
    archive: files(chartFiles(SIMPLE_CHART_YAML, 'mychart', [{ name: 'mychart/Chart.lock', data: 'generated: [\n' }])),
    expect: 'invalid-lock',
  },
  {
    title: 'Chart.lock with a bad time',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/Chart.lock', data: 'generated: yesterday\ndigest: x\n' },
      ]),
    ),
    expect: 'invalid-lock',
  },
  {
    title: 'Chart.lock that Helm reads',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        {
          name: 'mychart/Chart.lock',
          data: 'dependencies:\n- name: redis\n  repository: https://x\n  version: 1.0.0\ndigest: sha256:abc\ngenerated: "2024-01-02T03:04:05.123Z"\n',
        },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'a stray file directly in charts/',
    archive: files(chartFiles(SIMPLE_CHART_YAML, 'mychart', [{ name: 'mychart/charts/README.md', data: 'x' }])),
    expect: 'invalid-subchart',
  },
  {
    title: 'hidden file and .prov in charts/ (Helm ignores them)',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/charts/.gitkeep', data: '' },
        { name: 'mychart/charts/x-1.0.0.tgz.prov', data: 'sig' },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'subchart folder without Chart.yaml',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [{ name: 'mychart/charts/sub/values.yaml', data: 'a: 1\n' }]),
    ),
    expect: 'invalid-subchart',
  },
  {
    title: 'subchart folder with an invalid version',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/charts/sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: one\n' },
      ]),
    ),
    expect: 'invalid-subchart',
  },
  {
    title: 'valid subchart folder',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/charts/sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
        { name: 'mychart/charts/sub/templates/a.yaml', data: 'x' },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'packaged subchart that is valid',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        {
          name: 'mychart/charts/sub-0.1.0.tgz',
          data: gzip(tar(chartFiles('apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'sub'))),
        },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'packaged subchart that is not gzip',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [{ name: 'mychart/charts/sub-0.1.0.tgz', data: 'not a tgz' }]),
    ),
    expect: 'invalid-subchart',
  },
  {
    title: 'packaged subchart without a name',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        {
          name: 'mychart/charts/sub-0.1.0.tgz',
          data: gzip(tar(chartFiles('apiVersion: v2\nversion: 0.1.0\n', 'sub'))),
        },
      ]),
    ),
    expect: 'invalid-subchart',
  },
  {
    title: 'subchart values.yaml not YAML',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/charts/sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
        { name: 'mychart/charts/sub/values.yaml', data: '{' },
      ]),
    ),
    expect: 'invalid-subchart',
  },
  {
    title: 'requirements.yaml only (no Chart.yaml)',
    archive: files([{ name: 'mychart/requirements.yaml', data: 'dependencies: []\n' }]),
    expect: 'missing-api-version',
  },
  {
    title: 'v1 chart with requirements.yaml',
    archive: files([
      { name: 'old/Chart.yaml', data: 'name: old\nversion: 0.1.0\n' },
      {
        name: 'old/requirements.yaml',
        data: 'dependencies:\n- name: redis\n  version: 1.x\n  repository: https://x\n  alias: cache\n',
      },
    ]),
    expect: 'accepted',
  },
  {
    title: 'Windows backslash paths',
    archive: files([
      { name: 'mychart\\Chart.yaml', data: SIMPLE_CHART_YAML },
      { name: 'mychart\\templates\\a.yaml', data: 'a: 1\n' },
    ]),
    expect: 'accepted',
  },
  {
    title: 'PAX long path for Chart.yaml',
    archive: files([{ name: 'x', pax: { path: 'mychart/Chart.yaml' }, data: SIMPLE_CHART_YAML }]),
    expect: 'accepted',
  },
  {
    title: 'GNU long name for a deep template',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: `mychart/templates/${'d/'.repeat(60)}x.yaml`, gnuLongName: true, data: 'a: 1\n' },
      ]),
    ),
    expect: 'accepted',
  },
  {
    title: 'Chart.yaml with BOM and CRLF',
    archive: withChartYaml('\ufeffapiVersion: v2\r\nname: mychart\r\nversion: 1.0.0\r\n'),
    expect: 'accepted',
  },
  {
    title: 'extra files, templates and a README',
    archive: files(
      chartFiles(SIMPLE_CHART_YAML, 'mychart', [
        { name: 'mychart/README.md', data: '# hi\n' },
        { name: 'mychart/templates/NOTES.txt', data: 'hi' },
      ]),
    ),
    expect: 'accepted',
  },
];
