/**
 * What a soak run publishes: N valid charts spread over several repositories (prefixes) with odd keys
 * (spaces, `+`, `%`, unicode, nested folders, a `+build` version), `.prov` files beside some charts,
 * non-chart files, invalid archives, and the deletes and overwrites interleaved with publishing.
 */
import { createHash } from 'node:crypto';
import { Prng } from '../harness/prng';
import { generateChartArchive } from '../../test/support/chart-corpus';
import { tinyChartArchive } from './tiny-chart';

export type ObjectKind = 'chart' | 'invalid-chart' | 'prov' | 'other';

export interface PlannedObject {
  readonly key: string;
  readonly body: Buffer;
  readonly kind: ObjectKind;
  /** Chart name and version (kind 'chart'). */
  readonly name?: string;
  readonly version?: string;
  readonly sha256: string;
}

export type Step =
  | { readonly op: 'put'; readonly object: PlannedObject }
  | { readonly op: 'delete'; readonly key: string }
  /** Same key, new bytes (a rebuilt chart): the index must end with the new digest. */
  | { readonly op: 'overwrite'; readonly object: PlannedObject };

/** Repositories and their share of the charts. '' is the bucket root. */
export const REPOSITORIES: readonly { prefix: string; weight: number }[] = [
  { prefix: 'stable/', weight: 45 },
  { prefix: 'incubator/', weight: 20 },
  { prefix: 'team a/nested/deep/', weight: 15 },
  { prefix: 'ünïcode/', weight: 12 },
  { prefix: '', weight: 8 },
];

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** A realistic ~4 KiB chart (test/support/chart-corpus.ts); a rebuild (build > 0) has other bytes. */
function chart(key: string, name: string, version: string, build = 0): PlannedObject {
  const body = generateChartArchive({ name, version, extraChartYaml: `annotations:\n  build: "${build}"` });
  return { key, body, kind: 'chart', name, version, sha256: sha256(body) };
}

function other(key: string, kind: ObjectKind, text: string | Buffer): PlannedObject {
  const body = Buffer.from(text);
  return { key, body, kind, sha256: sha256(body) };
}

/** File names that exercise key encoding; each replaces the normal name of one chart. */
const ODD_FILE_NAMES: readonly ((name: string, version: string) => string)[] = [
  (name, version) => `${name} with spaces-${version}.tgz`,
  (name, version) => `${name}-${version}+build.7.tgz`,
  (name, version) => `chärt ✓ ${name}-${version}.tgz`,
  (name, version) => `100% ${name}=${version}&x.tgz`,
  (name, version) => `${name} (copy)-${version}.tgz`,
];

export interface Plan {
  readonly steps: readonly Step[];
  /** Every chart key that was ever published as a valid chart. */
  readonly chartKeys: readonly string[];
}

export function planScenario(options: { charts: number; deletes: number; overwrites: number; prng: Prng }): Plan {
  const { prng } = options;
  const total = REPOSITORIES.reduce((sum, repo) => sum + repo.weight, 0);
  const objects: PlannedObject[] = [];
  const names = ['web', 'api', 'worker', 'cache', 'db-proxy', 'gateway', 'metrics'];
  const perRepo = new Map<string, number>();
  for (let i = 0; i < options.charts; i++) {
    let draw = prng.int(total);
    const repo = REPOSITORIES.find((r) => (draw -= r.weight) < 0)!;
    const n = perRepo.get(repo.prefix) ?? 0;
    perRepo.set(repo.prefix, n + 1);
    const name = names[n % names.length];
    // A `+build` version on the 2nd chart of each repository; distinct (name, version) per repository.
    const version =
      n === 1 ? `1.${Math.floor(n / names.length)}.0+build.5` : `1.${Math.floor(n / names.length)}.${n % 3}`;
    const odd =
      i < ODD_FILE_NAMES.length * 3 && i % 3 === 0 ? ODD_FILE_NAMES[(i / 3) % ODD_FILE_NAMES.length] : undefined;
    const file = odd ? odd(name, version) : `${name}-${version}.tgz`;
    objects.push(chart(`${repo.prefix}${file}`, name, version));
  }
  const charts = [...objects];
  for (const c of charts) {
    if (prng.chance(0.1))
      objects.push(other(`${c.key}.prov`, 'prov', `-----BEGIN PGP SIGNED MESSAGE-----\n${c.key}\n`));
  }
  objects.push(
    other('stable/README.md', 'other', '# stable charts\n'),
    other('incubator/values.json', 'other', '{"not":"a chart"}'),
    other('team a/nested/notes.txt', 'other', 'notes'),
    other('stable/broken-0.0.1.tgz', 'invalid-chart', 'this is not gzip'),
    other(
      'incubator/bad-version-1.tgz',
      'invalid-chart',
      tinyChartArchive({ name: 'bad-version', version: 'one.two' }),
    ),
  );
  prng.shuffle(objects);

  // Deletes and overwrites go at random points after their chart's put.
  const steps: Step[] = objects.map((object) => ({ op: 'put', object }));
  const victims = prng.shuffle([...charts]);
  const deleted = victims.slice(0, Math.min(options.deletes, charts.length));
  const rebuilt = victims.slice(deleted.length, deleted.length + options.overwrites);
  const insertAfter = (key: string, step: Step) => {
    const at = steps.findIndex((s) => s.op === 'put' && s.object.key === key);
    steps.splice(at + 1 + prng.int(steps.length - at), 0, step);
  };
  for (const c of deleted) insertAfter(c.key, { op: 'delete', key: c.key });
  for (const c of rebuilt) insertAfter(c.key, { op: 'overwrite', object: chart(c.key, c.name!, c.version!, 2) });
  return { steps, chartKeys: charts.map((c) => c.key) };
}
