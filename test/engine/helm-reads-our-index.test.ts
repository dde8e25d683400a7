/**
 * The YAML and JSON we write must read back in Helm as the same index: the real helm merges our index (with
 * strings chosen to trip YAML readers) into an empty folder's index, and its result must equal ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartVersion, RepositoryIndex, type ChartMetadata } from '../../lambda/engine';
import { validateMetadata } from '../../lambda/engine/validate-metadata';
import { helmBinary } from '../support/tools';

const TRICKY = [
  'true',
  'False',
  'yes',
  'off',
  'y',
  '~',
  'null',
  '',
  ' ',
  '0755',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1e3',
  '.5',
  '+1',
  '-1',
  '.inf',
  '.NaN',
  '1:20',
  '2021-01-02',
  '2001-12-14 21:59:43',
  '<<',
  '=',
  '- x',
  '? x',
  ': x',
  'a: b',
  'a #b',
  '#x',
  '@x',
  '`x',
  '!x',
  '&x',
  '*x',
  '|',
  '>',
  '%x',
  '[x]',
  '{x}',
  'x,y',
  '"q"',
  "'s'",
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'trailing ',
  ' leading',
  'é',
  '日本',
  '🚀',
  'zero\u200bwidth',
  'v1.2.3',
  '1.2.3',
];

describe('helm reads the index we write', () => {
  it.each([['YAML'], ['JSON']])('as the same entries (%s)', (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-reads-'));
    try {
      const ours = RepositoryIndex.empty();
      TRICKY.forEach((s, i) => {
        // Through validateMetadata, as every chart read from an archive (it sanitizes as Helm does).
        const metadata: ChartMetadata = validateMetadata({
          apiVersion: 'v2',
          name: `chart${i % 5}`,
          version: `1.${i}.0`,
          description: s,
          appVersion: s,
          keywords: [s, 'k'],
          home: s.trim() ? s : 'h',
          // (Not '<<' as a key: helm writes it unquoted, and then go-yaml reads its own output as a merge key.)
          annotations: { [`key-${i}`]: s, [s.trim() && s !== '<<' ? s : `blank-${i}`]: 'v' },
          maintainers: [{ name: s || 'm' }],
        });
        ours.add(
          chartVersion(
            { metadata, digest: 'cd'.repeat(32), sizeBytes: 1 },
            { file: `c${i}.tgz`, created: new Date(1e12 + i) },
          ),
        );
      });
      const generated = new Date(0);
      const text = format === 'JSON' ? ours.toJson(generated) : ours.toYaml(generated);
      writeFileSync(join(dir, 'ours.yaml'), text);
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      execFileSync(helmBinary(), ['repo', 'index', empty, '--merge', join(dir, 'ours.yaml')], { stdio: 'pipe' });
      const helm = RepositoryIndex.parse(readFileSync(join(empty, 'index.yaml'), 'utf8'), 'helm index.yaml');
      expect(helm.skipped).toEqual([]);
      expect(helm.charts()).toEqual(ours.charts());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
