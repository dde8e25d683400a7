/** Bad input at the archive level: gzip, tar, entry paths and types, sizes. */
import { chartArchive, chartFiles, gzip, SIMPLE_CHART_YAML, tar } from '../support/chart-archive';
import { files, hugeEntry, MiB, withExtraFiles, type BadInputCase } from './bad-input-support';

export const ARCHIVE_CASES: readonly BadInputCase[] = [
  { title: 'not gzip (a YAML file)', archive: () => Buffer.from(SIMPLE_CHART_YAML), expect: 'not-gzip' },
  { title: 'empty file', archive: () => Buffer.alloc(0), expect: 'empty-file' },
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
  {
    title: 'Chart.yaml outside the chart folder',
    archive: files([{ name: 'Chart.yaml', data: SIMPLE_CHART_YAML }]),
    expect: 'outside-chart',
  },
  {
    title: 'path traversal',
    archive: withExtraFiles({ name: 'mychart/../../etc/passwd', data: 'x' }),
    expect: 'path-traversal',
  },
  {
    title: 'absolute path inside the chart',
    archive: withExtraFiles({ name: 'mychart//etc/passwd', data: 'x' }),
    expect: 'absolute-path',
  },
  {
    title: 'drive letter path',
    archive: withExtraFiles({ name: 'mychart/c:/evil', data: 'x' }),
    expect: 'illegal-file-name',
  },
  {
    title: 'file named ..foo (Helm reads it as traversal)',
    archive: withExtraFiles({ name: 'mychart/..foo', data: 'x' }),
    expect: 'path-traversal',
  },
  {
    title: 'symlink in templates (Helm loads it as an empty file)',
    archive: withExtraFiles({ name: 'mychart/templates/link.yaml', type: '2', linkname: '/etc/passwd' }),
    expect: 'accepted',
  },
  {
    title: 'symlink as Chart.yaml (empty to Helm)',
    archive: files([{ name: 'mychart/Chart.yaml', type: '2', linkname: '../Chart.yaml' }]),
    expect: 'missing-name',
  },
  {
    title: 'hard link (Helm loads it as an empty file)',
    archive: withExtraFiles({ name: 'mychart/templates/hard.yaml', type: '1', linkname: 'mychart/values.yaml' }),
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
    archive: withExtraFiles({ name: 'mychart/files/big.bin', data: Buffer.alloc(6 * MiB) }),
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
    archive: withExtraFiles({ name: `mychart/templates/${'d/'.repeat(60)}x.yaml`, gnuLongName: true, data: 'a: 1\n' }),
    expect: 'accepted',
  },
  {
    title: 'extra files, templates and a README',
    archive: withExtraFiles(
      { name: 'mychart/README.md', data: '# hi\n' },
      { name: 'mychart/templates/NOTES.txt', data: 'hi' },
    ),
    expect: 'accepted',
  },
];
