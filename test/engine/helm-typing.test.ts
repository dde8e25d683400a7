/**
 * Chart.yaml scalars typed as Helm types them, checked against the real helm: the same hand-made archives go
 * through `helm repo index` and through our engine, and the entries must be equal (created aside).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartVersion, readChartArchive, RepositoryIndex } from '../../lambda/engine';
import { chartArchive, chunks } from '../support/chart-archive';
import { helmBinary } from '../support/tools';

const CHARTS: Record<string, string> = {
  'float-app-version': 'apiVersion: v2\nname: floaty\nversion: 1.0.0\nappVersion: 1.10\n',
  'int-like-fields': 'apiVersion: v2\nname: ints\nversion: 2.0.0\nappVersion: 0755\ndescription: 1_000\nhome: 0x1F\n',
  'bool-like-fields':
    'apiVersion: v2\nname: bools\nversion: 3.0.0\nappVersion: yes\ndescription: on\nkeywords: [y, n, off, true, ~]\n',
  'float-version': 'apiVersion: v2\nname: fver\nversion: 1.0\nappVersion: 1e3\n',
  'big-numbers':
    'apiVersion: v2\nname: big\nversion: 4.0.0\nappVersion: 123456789.5\ndescription: 18446744073709551615\nicon: .5\n',
  'timestamp-like':
    'apiVersion: v2\nname: ts\nversion: 5.0.0\nappVersion: 2021-01-02\ndescription: 2001-12-14t21:59:43.10-05:00\n',
  'case-insensitive-keys': 'APIVERSION: v2\nName: keys\nVERSION: 6.0.0\nappversion: "1"\nappVersion: "2"\n',
  'annotations-and-deps':
    'apiVersion: v2\nname: deps\nversion: 7.0.0\nannotations:\n  a: 1.50\n  b: true\n  c:\ndependencies:\n- name: redis\n  version: ~1.2\n  repository: ""\n  tags: [1.0, x]\n  enabled: true\n  import-values: [data, {child: a, parent: b}, 3]\n- name: pg\n',
  'unicode-and-controls':
    'apiVersion: v2\nname: uni\nversion: 8.0.0\ndescription: "caf\\u00e9\\ttab\\u200bzw\\u00a0nb\\u0007bell"\nmaintainers:\n- name: "Zo\\u00eb\\nNL"\n  email: z@example.com\n',
  'merge-keys':
    'apiVersion: v2\nname: merge\nversion: 9.0.0\nbase: &b {description: from-anchor, home: https://x}\n<<: *b\nhome: https://override\n',
  'v1-defaults':
    'name: legacy\nversion: 0.1.0\ndeprecated: true\ntags: a,b\ncondition: x.enabled\nkubeVersion: ">=1.20"\n',
};

describe('Chart.yaml typing matches helm', () => {
  it('writes the same entries as helm repo index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typing-'));
    try {
      const ours = RepositoryIndex.empty();
      for (const [file, yaml] of Object.entries(CHARTS)) {
        const archive = chartArchive(yaml);
        writeFileSync(join(dir, `${file}.tgz`), archive);
        const read = await readChartArchive(chunks(archive), { file: `${file}.tgz` });
        ours.add(chartVersion(read, { file: `${file}.tgz`, created: new Date(0) }));
      }
      execFileSync(helmBinary(), ['repo', 'index', dir], { stdio: 'pipe' });
      const helm = RepositoryIndex.parse(readFileSync(join(dir, 'index.yaml'), 'utf8'), 'helm index.yaml');
      expect(helm.skipped).toEqual([]);
      const strip = (index: RepositoryIndex) =>
        Object.fromEntries(
          index.charts().map(([name, versions]) => [name, versions.map((v) => ({ ...v, created: '' }))]),
        );
      expect(strip(ours)).toEqual(strip(helm));
      // A few spelled out, so a reader sees what "as Helm types it" means.
      const byName = strip(ours);
      expect(byName.floaty[0].appVersion).toBe('1.1');
      expect(byName.fver[0].version).toBe('1');
      expect(byName.bools[0].appVersion).toBe('true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
