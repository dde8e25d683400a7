/**
 * The fast YAML reader must give exactly what the full parser (js-yaml with go-yaml typing) gives, or step
 * aside. Every text here goes through both; where the fast reader answers, the answers must be equal. The common
 * shapes (Chart.yaml, values.yaml, an index written by helm or by us) must take the fast path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartVersion, RepositoryIndex, type ChartVersion } from '../../lambda/engine';
import { fastLoadYaml, UNSUPPORTED } from '../../lambda/engine/fast-yaml';
import { loadGoYamlWithJsYaml } from '../../lambda/engine/go-yaml-full';
import { chartArchive } from '../support/chart-archive';
import { helmBinary } from '../support/tools';

function full(text: string): unknown {
  try {
    return loadGoYamlWithJsYaml(text, { filename: 'x', maxDepth: 1000 });
  } catch (error) {
    return { error: String(error).split('\n')[0] };
  }
}

function agree(text: string): 'fast' | 'fallback' {
  const fast = fastLoadYaml(text, 1000);
  if (fast === UNSUPPORTED) return 'fallback';
  expect({ text, value: fast }).toEqual({ text, value: full(text) });
  return 'fast';
}

const SNIPPETS = [
  'a: 1\nb: two\n',
  'apiVersion: v2\nname: x\nversion: 1.0\nappVersion: 1.10\n',
  'k: yes\nl: no\nm: ~\nn:\no: null\np: 0755\nq: 0x1f\nr: 1_000\ns: .5\nt: 1e3\nu: .inf\nv: -.INF\n',
  'y: 1\nn: 2\n1.10: a\n0x10: b\ntrue: c\n',
  "url: https://example.com/a#b\nc: a #comment\nd: \"quoted # not comment\"\ne: 'it''s'\n",
  'list:\n- a\n- b\n-\n- c: 1\n  d: 2\n- - nested\n',
  'list:\n  - a\n  - 1.0\n  -   spaced\n',
  'm:\n  n:\n    o: deep\n  p: [a, b, 3, yes]\n  q: []\n  r: {}\n',
  'esc: "tab\\tnl\\nq\\"bs\\\\u\\u00e9\\U0001F680x\\x41"\n',
  'bad-escape: "\\q"\n',
  'multi: "line one\n  line two"\n',
  'plain: line one\n  line two\n',
  'lit: |\n  line one\n   indented\n\n  after blank\nnext: 1\n',
  'lit: |-\n  strip\n\n\nk: 1\n',
  'lit: |+\n  keep\n\n\nk: 1\n',
  'lit: |\n\n  leading blank\n',
  'lit: |\nempty: 1\n',
  'fold: >\n  folded\n  text\n',
  'anchor: &a 1\nalias: *a\n',
  'tagged: !!str 1.10\n',
  '<<: {a: 1}\n',
  '---\na: 1\n',
  'a: 1\n...\n',
  'a: b: c\n',
  'a:b\n',
  '? complex\n: value\n',
  'dup: 1\ndup: 2\n',
  '"quoted key": 1\n\'single\': 2\n',
  '__proto__: x\n',
  'a:\n  - x\n  y: 1\n',
  'a: 1\n  b: 2\n',
  '  indented: root\n',
  '# only a comment\n',
  '',
  'scalar at root\n',
  '- a\n- b\n',
  'a: [1, 2\n',
  'a: [x: 1]\n',
  'a: {b: 1}\n',
  'a: "unterminated\n',
  'nul: "\\0"\n',
  'ctrl: \x07\n',
  'k: v\t# tab\n',
  'k: "v"  # trailing comment\n',
  'k: "v" junk\n',
  'date: 2021-01-02\nts: 2001-12-14t21:59:43.10-05:00\n',
  'neg: -1\nneg2: -foo\ndash: -\n',
  'k: -\n',
  'emptyseq:\n-\n-\n',
  'k: null\nn: ~\n~: v\n',
  'k: v:\n',
  'k: "a"\n"b": c\n',
];

describe('fast YAML reader', () => {
  it.each(SNIPPETS.map((s) => [JSON.stringify(s).slice(0, 60), s]))('agrees with js-yaml on %s', (_title, text) => {
    agree(text);
  });

  it('takes the fast path for Chart.yaml, values.yaml and our own index, with the same result', () => {
    const chart =
      'apiVersion: v2\nname: app\ndescription: A Helm chart for Kubernetes\ntype: application\nversion: 0.1.0\nappVersion: "1.16.0"\nkeywords:\n  - web\nmaintainers:\n  - name: Jane\n    email: jane@example.com\n';
    const values =
      'replicaCount: 1\nimage:\n  repository: nginx\n  pullPolicy: IfNotPresent\n  tag: ""\nimagePullSecrets: []\nresources: {}\nnodeSelector: {}\n';
    expect(agree(chart)).toBe('fast');
    expect(agree(values)).toBe('fast');
    const index = RepositoryIndex.empty();
    const tricky: Partial<ChartVersion> = {
      description: 'yes: no # x\nsecond line',
      keywords: ['true', '0755', '1e3', '2021-01-02', 'a: b', '- x', '@at', ' padded ', 'é', '🚀', '\u0085'],
      annotations: { 'a/b': 'on', '1.0': '~', 'q"': "it's" },
      dependencies: [{ name: 'redis', repository: '', 'import-values': [{ child: 'a', parent: 'b' }, 'data', 3] }],
    };
    for (let i = 0; i < 50; i++) {
      const archive = {
        metadata: { apiVersion: 'v2', name: `c${i % 7}`, version: `1.${i}.0`, ...(i % 5 === 0 ? tricky : {}) },
        digest: 'ab'.repeat(32),
        sizeBytes: 1,
      };
      index.add(chartVersion(archive, { file: `c-${i}+x.tgz`, created: new Date(i * 1000) }));
    }
    expect(agree(index.toYaml(new Date(0)))).toBe('fast');
  });

  it('takes the fast path for the index helm writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fast-yaml-'));
    try {
      writeFileSync(
        join(dir, 'a-1.0.0.tgz'),
        chartArchive('apiVersion: v2\nname: a\nversion: 1.0.0\ndescription: "multi\\nline"\nkeywords: [x, "1.0"]\n'),
      );
      writeFileSync(
        join(dir, 'b-1.0.0.tgz'),
        chartArchive('apiVersion: v2\nname: b\nversion: 1.0.0\nannotations:\n  x: "yes"\n'),
      );
      execFileSync(helmBinary(), ['repo', 'index', dir], { stdio: 'pipe' });
      expect(agree(readFileSync(join(dir, 'index.yaml'), 'utf8'))).toBe('fast');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
