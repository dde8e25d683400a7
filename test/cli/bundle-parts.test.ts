/**
 * The CLI bundle's parts (scripts/bundle.mjs): a run loads the files beside chart-repo.js that it needs and no
 * others, and a part loaded at run time works from the bundle (a file left out of dist would fail here first).
 * Loaded files are seen in node's own module log (NODE_DEBUG=module).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { chartArchive } from '../support/chart-archive';
import { chartRepoBundle, runChartRepo } from '../support/chart-repo-cli';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'bundle-parts-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface WrittenIndex {
  readonly entries: Record<string, { version: string; annotations?: Record<string, string> }[]>;
}

const ANCHORED_CHART_YAML =
  'apiVersion: v2\nname: anchored\nversion: 1.0.0\ndescription: &d shared\nannotations:\n  copy: *d\n';

/** A folder holding one archive of `chartYaml`. */
function chartFolder(name: string, chartYaml: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, `${name}.tgz`), chartArchive(chartYaml));
  return dir;
}

/** Indexes a folder holding one archive of `chartYaml`; returns the bundle files loaded and the index. */
function indexOneChart(name: string, chartYaml: string): { loaded: string[]; index: WrittenIndex } {
  const dir = chartFolder(name, chartYaml);
  const result = runChartRepo(['index', dir], { env: { ...process.env, NODE_DEBUG: 'module' } });
  expect(result).toMatchObject({ status: 0 });
  const loaded = [...result.stderr.matchAll(/load "[^"]*\/dist\/bundle\/([^"/]+\.js)"/g)].map((match) => match[1]);
  return {
    loaded: [...new Set(loaded)].sort(),
    index: load(readFileSync(join(dir, 'index.yaml'), 'utf8')) as WrittenIndex,
  };
}

describe('chart-repo bundle parts', () => {
  it('index loads the index code only: not the local server, not js-yaml for a plain Chart.yaml', () => {
    const { loaded, index } = indexOneChart('plain', 'apiVersion: v2\nname: plain\nversion: 1.0.0\n');
    expect(loaded).toEqual(['chart-repo.js', 'index-run.js']);
    expect(index.entries.plain[0].version).toBe('1.0.0');
  });

  it('index loads js-yaml from its own file when the fast reader declines (a YAML anchor)', () => {
    const chartYaml =
      'apiVersion: v2\nname: anchored\nversion: 1.0.0\ndescription: &d shared\nannotations:\n  copy: *d\n';
    const { loaded, index } = indexOneChart('anchored', chartYaml);
    expect(loaded).toEqual(['chart-repo.js', 'go-yaml-full.js', 'index-run.js']);
    expect(index.entries.anchored[0].annotations).toEqual({ copy: 'shared' });
  });

  it('fails the run, rather than skip the chart as invalid, when a part is missing from the installation', () => {
    const bundle = join(root, 'incomplete-bundle');
    mkdirSync(bundle);
    for (const file of ['chart-repo.js', 'index-run.js', 'index-worker.js']) {
      copyFileSync(join(dirname(chartRepoBundle), file), join(bundle, file));
    }
    const dir = chartFolder('anchored-without-parser', ANCHORED_CHART_YAML);
    const result = spawnSync(process.execPath, [join(bundle, 'chart-repo.js'), 'index', dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /the YAML parser could not be loaded \(Cannot find module '\.\/go-yaml-full\.js'.*reinstall/,
    );
    expect(result.stderr).not.toMatch(/skipped/);
    expect(existsSync(join(dir, 'index.yaml'))).toBe(false);
  });
});
