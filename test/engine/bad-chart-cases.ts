/** Bad input inside a well-formed archive: Chart.yaml, metadata, values.yaml, lock files, subcharts. */
import { chartArchive, chartFiles, gzip, SIMPLE_CHART_YAML, tar } from '../support/chart-archive';
import { aliasBomb, files, v2, withChartYaml, withExtraFiles, type BadInputCase } from './bad-input-support';

export const CHART_CASES: readonly BadInputCase[] = [
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
    archive: withExtraFiles({ name: 'mychart/Chart.lock', data: 'generated: [\n' }),
    expect: 'invalid-lock',
  },
  {
    title: 'Chart.lock with a bad time',
    archive: withExtraFiles({ name: 'mychart/Chart.lock', data: 'generated: yesterday\ndigest: x\n' }),
    expect: 'invalid-lock',
  },
  {
    title: 'Chart.lock that Helm reads',
    archive: withExtraFiles({
      name: 'mychart/Chart.lock',
      data: 'dependencies:\n- name: redis\n  repository: https://x\n  version: 1.0.0\ndigest: sha256:abc\ngenerated: "2024-01-02T03:04:05.123Z"\n',
    }),
    expect: 'accepted',
  },
  {
    title: 'a stray file directly in charts/',
    archive: withExtraFiles({ name: 'mychart/charts/README.md', data: 'x' }),
    expect: 'invalid-subchart',
  },
  {
    title: 'hidden file and .prov in charts/ (Helm ignores them)',
    archive: withExtraFiles(
      { name: 'mychart/charts/.gitkeep', data: '' },
      { name: 'mychart/charts/x-1.0.0.tgz.prov', data: 'sig' },
    ),
    expect: 'accepted',
  },
  {
    title: 'subchart folder without Chart.yaml',
    archive: withExtraFiles({ name: 'mychart/charts/sub/values.yaml', data: 'a: 1\n' }),
    expect: 'invalid-subchart',
  },
  {
    title: 'subchart folder with an invalid version',
    archive: withExtraFiles({
      name: 'mychart/charts/sub/Chart.yaml',
      data: 'apiVersion: v2\nname: sub\nversion: one\n',
    }),
    expect: 'invalid-subchart',
  },
  {
    title: 'valid subchart folder',
    archive: withExtraFiles(
      { name: 'mychart/charts/sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
      { name: 'mychart/charts/sub/templates/a.yaml', data: 'x' },
    ),
    expect: 'accepted',
  },
  {
    title: 'packaged subchart that is valid',
    archive: withExtraFiles({
      name: 'mychart/charts/sub-0.1.0.tgz',
      data: gzip(tar(chartFiles('apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'sub'))),
    }),
    expect: 'accepted',
  },
  {
    title: 'packaged subchart without a name',
    archive: withExtraFiles({
      name: 'mychart/charts/sub-0.1.0.tgz',
      data: gzip(tar(chartFiles('apiVersion: v2\nversion: 0.1.0\n', 'sub'))),
    }),
    expect: 'invalid-subchart',
  },
  {
    title: 'subchart values.yaml not YAML',
    archive: withExtraFiles(
      { name: 'mychart/charts/sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
      { name: 'mychart/charts/sub/values.yaml', data: '{' },
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
    title: 'Chart.yaml with BOM and CRLF',
    archive: withChartYaml('\ufeffapiVersion: v2\r\nname: mychart\r\nversion: 1.0.0\r\n'),
    expect: 'accepted',
  },
  {
    title: 'packaged subchart that is not gzip',
    archive: withExtraFiles({ name: 'mychart/charts/sub-0.1.0.tgz', data: 'not a tgz' }),
    expect: 'invalid-subchart',
  },
];
