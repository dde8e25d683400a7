/**
 * Chart fixtures for parity tests, integration tests and benchmarks.
 *
 * - `writeChartFolders` + `packageWithHelm` (or `buildHelmCorpus` for both): chart source folders covering what
 *   Chart.yaml can say, packaged by the real `helm package`.
 * - `rawChartCorpus`: archives whose Chart.yaml bytes matter (BOM, CRLF, unquoted numeric appVersions, YAML 1.1
 *   booleans, ...). `helm package` re-serializes Chart.yaml, so these are built in process.
 * - `generateChartArchive`: a fast in-process generator of valid, realistic chart .tgz buffers for bulk use.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helmBinary } from './tools';
import { gzip, tar, type TarEntrySpec } from './chart-archive';
import { chartFolderSpecs } from './chart-folder-specs';

/** A chart source folder: Chart.yaml text and any other files, by path relative to the chart folder. */
export interface ChartFolderSpec {
  /** Folder name, unique in a corpus. */
  readonly id: string;
  readonly chartYaml: string;
  readonly files?: Readonly<Record<string, string>>;
  /** Sub-folder of the repository the packaged archive goes to ('' = the repository root). */
  readonly repoFolder?: string;
}

/** An archive built byte for byte in process. */
export interface RawChartSpec {
  /** Archive file name, relative to the repository folder. */
  readonly file: string;
  readonly entries: readonly TarEntrySpec[];
}

/** Writes each spec as a chart folder under `dir`; returns the folders. */
export function writeChartFolders(specs: readonly ChartFolderSpec[], dir: string): string[] {
  return specs.map((spec) => {
    const folder = join(dir, spec.id);
    const files: Record<string, string> = { 'Chart.yaml': spec.chartYaml, ...defaultFiles(spec.id), ...spec.files };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(folder, path, '..'), { recursive: true });
      writeFileSync(join(folder, path), content);
    }
    return folder;
  });
}

/** Runs the real `helm package` over chart folders (in batches: one helm process per 50 charts). */
export function packageWithHelm(folders: readonly string[], destination: string): void {
  mkdirSync(destination, { recursive: true });
  for (let i = 0; i < folders.length; i += 50) {
    execFileSync(helmBinary(), ['package', ...folders.slice(i, i + 50), '--destination', destination], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
}

/**
 * Builds the whole parity corpus into `repoDir`: every folder spec packaged by helm (into its `repoFolder`), plus
 * every raw archive. `workDir` holds the chart sources. Returns the archive count.
 */
export function buildHelmCorpus(repoDir: string, workDir: string): number {
  const specs = chartFolderSpecs();
  const byFolder = new Map<string, ChartFolderSpec[]>();
  for (const spec of specs) {
    const key = spec.repoFolder ?? '';
    byFolder.set(key, [...(byFolder.get(key) ?? []), spec]);
  }
  for (const [repoFolder, group] of byFolder) {
    packageWithHelm(writeChartFolders(group, join(workDir, 'src', repoFolder)), join(repoDir, repoFolder));
  }
  const raw = rawChartCorpus();
  for (const spec of raw) {
    mkdirSync(join(repoDir, spec.file, '..'), { recursive: true });
    writeFileSync(join(repoDir, spec.file), gzip(tar(spec.entries)));
  }
  return specs.length + raw.length;
}

function defaultFiles(name: string): Record<string, string> {
  return {
    'values.yaml': `replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\nservice:\n  port: 80\n`,
    'templates/deployment.yaml': deploymentTemplate(name),
    'templates/NOTES.txt': `Installed {{ .Chart.Name }} {{ .Chart.Version }}.\n`,
  };
}

function deploymentTemplate(name: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: {{ .Release.Name }}-${name}`,
    '  labels:',
    '    app.kubernetes.io/name: {{ .Chart.Name }}',
    '    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
    '          ports:',
    '            - containerPort: {{ .Values.service.port }}',
    '',
  ].join('\n');
}

/** A plain chart archive: Chart.yaml (exact text) + values + one template, under `folder/`. */
export function rawChart(
  folder: string,
  chartYaml: string | Buffer,
  extra: readonly TarEntrySpec[] = [],
): TarEntrySpec[] {
  return [
    { name: `${folder}/Chart.yaml`, data: chartYaml },
    { name: `${folder}/values.yaml`, data: 'replicaCount: 1\n' },
    { name: `${folder}/templates/deployment.yaml`, data: deploymentTemplate(folder) },
    ...extra,
  ];
}

/** Archives whose Chart.yaml bytes matter; helm is the judge of what each means (or whether it is a chart). */
export function rawChartCorpus(): RawChartSpec[] {
  const v2 = (name: string, rest = '') => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${rest}`;
  const cases: Record<string, string | Buffer> = {
    'raw-appversion-1.10': v2('raw-appversion-1.10', 'appVersion: 1.10\n'),
    'raw-appversion-1.0': v2('raw-appversion-1.0', 'appVersion: 1.0\n'),
    'raw-appversion-010': v2('raw-appversion-010', 'appVersion: 010\n'),
    'raw-appversion-1e3': v2('raw-appversion-1e3', 'appVersion: 1e3\n'),
    'raw-appversion-true': v2('raw-appversion-true', 'appVersion: true\n'),
    'raw-appversion-hex': v2('raw-appversion-hex', 'appVersion: 0x1F\n'),
    'raw-appversion-null': v2('raw-appversion-null', 'appVersion: ~\n'),
    'raw-appversion-quoted': v2('raw-appversion-quoted', 'appVersion: "1.10"\n'),
    'raw-appversion-date': v2('raw-appversion-date', 'appVersion: 2024-01-02\n'),
    'raw-version-unquoted-1.0': 'apiVersion: v2\nname: raw-version-unquoted-1.0\nversion: 1.0\n',
    'raw-name-numeric': 'apiVersion: v2\nname: 12345\nversion: 1.0.0\n',
    'raw-description-yes': v2('raw-description-yes', 'description: yes\n'),
    'raw-keywords-scalars': v2('raw-keywords-scalars', 'keywords: [1, 2.0, on, "x"]\n'),
    'raw-annotations-scalars': v2('raw-annotations-scalars', 'annotations:\n  count: 1\n  flag: true\n'),
    'raw-deprecated-yes': v2('raw-deprecated-yes', 'deprecated: yes\n'),
    'raw-bom': Buffer.from(`\ufeff${v2('raw-bom', 'description: starts with a BOM\n')}`),
    'raw-crlf': v2('raw-crlf', 'description: |\n  two\n  lines\nkeywords:\n  - a\n').replace(/\n/g, '\r\n'),
    'raw-bom-crlf': `\ufeff${v2('raw-bom-crlf', 'appVersion: "2.0"\n').replace(/\n/g, '\r\n')}`,
    'raw-no-apiversion': 'name: raw-no-apiversion\nversion: 1.0.0\n',
    'raw-unknown-field': v2('raw-unknown-field', 'x-custom: kept out\n'),
    'raw-document-marker': `# a comment\n---\n${v2('raw-document-marker')}...\n`,
    'raw-anchors': v2('raw-anchors', 'home: &h https://example.com\nsources: [*h]\n'),
    'raw-invisible-chars': v2('raw-invisible-chars', 'description: "tab\\there zero\\u200bwidth nbsp\\u00a0x"\n'),
    'raw-folded': v2('raw-folded', 'description: >\n  folded\n  text\n\n  para\n'),
    'raw-unicode': v2('raw-unicode', 'description: "日本語 ✓ émoji 🚀"\nmaintainers:\n  - name: Zoë Ünal\n'),
    'raw-duplicate-key': v2('raw-duplicate-key', 'description: first\ndescription: second\n'),
    // Helm rejects these: a string where a bool / a list is expected, invalid YAML, no version.
    'raw-deprecated-string': v2('raw-deprecated-string', 'deprecated: "true"\n'),
    'raw-sources-string': v2('raw-sources-string', 'sources: https://example.com\n'),
    'raw-not-yaml': 'apiVersion: v2\nname: [unclosed\nversion: 1.0.0\n',
    'raw-no-version': 'apiVersion: v2\nname: raw-no-version\n',
  };
  const specs: RawChartSpec[] = Object.entries(cases).map(([name, yaml]) => ({
    file: `${name}-1.0.0.tgz`,
    entries: rawChart(name, yaml),
  }));
  // Entry order and extra files Helm reads: Chart.yaml last; a v1 chart whose dependencies live in
  // requirements.yaml; a v2 chart that (against the spec) also has one.
  specs.push(
    {
      file: 'raw-chart-yaml-last-1.0.0.tgz',
      entries: rawChart('raw-chart-yaml-last', v2('raw-chart-yaml-last')).reverse(),
    },
    {
      file: 'raw-v1-requirements-1.0.0.tgz',
      entries: rawChart('raw-v1-requirements', 'apiVersion: v1\nname: raw-v1-requirements\nversion: 1.0.0\n', [
        {
          name: 'raw-v1-requirements/requirements.yaml',
          data: 'dependencies:\n  - name: redis\n    version: ~17.0.0\n    repository: https://charts.example.com\n    alias: cache\n',
        },
      ]),
    },
    {
      file: 'raw-v2-requirements-1.0.0.tgz',
      entries: rawChart('raw-v2-requirements', v2('raw-v2-requirements'), [
        {
          name: 'raw-v2-requirements/requirements.yaml',
          data: 'dependencies:\n  - name: pg\n    version: 1.x\n    repository: "@stable"\n',
        },
      ]),
    },
    { file: 'raw/in-subfolder-1.0.0.tgz', entries: rawChart('raw-in-subfolder', v2('raw-in-subfolder')) },
  );
  return specs;
}

/** Options of one generated chart. */
export interface GeneratedChartOptions {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /**
   * Approximate archive size in bytes (default 4 KiB). Above ~16 KB the chart grows like real ones do: more
   * templates and config files (text that compresses about 4:1) plus a base64 certificate bundle (barely
   * compressible), so inflating costs what it costs on real charts.
   */
  readonly sizeBytes?: number;
  /** Extra Chart.yaml lines (YAML text). */
  readonly extraChartYaml?: string;
  /** gzip level (default 6, as `helm package`). */
  readonly gzipLevel?: number;
}

/**
 * A valid, realistic chart archive built in memory: Chart.yaml, values, helpers, templates and a README; larger
 * sizes add generated templates, config files and a certificate bundle. Deterministic: the same options always
 * give the same bytes (and digest).
 */
export function generateChartArchive(options: GeneratedChartOptions): Buffer {
  const { name, version } = options;
  const chartYaml = [
    'apiVersion: v2',
    `name: ${name}`,
    `version: ${version}`,
    `appVersion: "${options.appVersion ?? version}"`,
    `description: ${name} runs a small web service and its worker`,
    'type: application',
    'home: https://example.com/charts',
    'keywords: [web, service]',
    'maintainers:',
    '  - name: Platform Team',
    '    email: platform@example.com',
    options.extraChartYaml ?? '',
  ].join('\n');
  const entries: TarEntrySpec[] = [
    { name: `${name}/Chart.yaml`, data: `${chartYaml}\n` },
    {
      name: `${name}/values.yaml`,
      data: 'replicaCount: 2\nimage:\n  repository: nginx\n  tag: ""\nservice:\n  port: 80\n',
    },
    { name: `${name}/templates/_helpers.tpl`, data: '{{- define "app.name" -}}{{ .Chart.Name }}{{- end }}\n' },
    { name: `${name}/templates/deployment.yaml`, data: deploymentTemplate(name) },
    { name: `${name}/templates/service.yaml`, data: serviceTemplate(name) },
    { name: `${name}/README.md`, data: `# ${name}\n\n${'Install it with helm install. '.repeat(40)}\n` },
  ];
  const budget = Math.max(0, (options.sizeBytes ?? 4096) - 3000);
  if (budget > 0) entries.push(...bulkFiles(name, budget, new Prng(`${name}@${version}`)));
  return gzip(tar(entries), options.gzipLevel);
}

const WORDS = (
  'app api backend cache cluster config controller cron daemon data database debug deploy endpoint env event ' +
  'frontend gateway health host http image ingress job key label leader limit log memory metrics monitor mount ' +
  'namespace network node path pod policy port probe proxy queue ready replica request resource role route ' +
  'secret selector server service session storage stream sync target tenant timeout token topic user volume worker'
).split(' ');

/** Deterministic pseudo-random numbers (xorshift32 seeded from a string). */
class Prng {
  private state: number;

  constructor(seed: string) {
    let state = 2166136261;
    for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619) >>> 0;
    this.state = state || 1;
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  word(): string {
    return WORDS[this.next() % WORDS.length];
  }
}

/** A config-like YAML text of about `bytes` bytes: keys and values drawn from a small vocabulary. */
function configText(bytes: number, prng: Prng): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const indent = '  '.repeat(prng.next() % 4);
    const line = `${indent}${prng.word()}-${prng.word()}${prng.next() % 100}: "${prng.word()} ${prng.word()} ${prng.next() % 100000}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** Compressed-size shares: 60% text (about 4:1), 40% base64 of random bytes (about 1.33:1). */
function bulkFiles(name: string, budget: number, prng: Prng): TarEntrySpec[] {
  const entries: TarEntrySpec[] = [];
  const textBytes = Math.round(budget * 0.6 * 4);
  const fileCount = Math.max(1, Math.round(textBytes / 12_000));
  for (let i = 0; i < fileCount; i++) {
    const folder = i % 3 === 0 ? 'files/config' : 'templates/generated';
    entries.push({ name: `${name}/${folder}/part-${i}.yaml`, data: configText(textBytes / fileCount, prng) });
  }
  const random = pseudoRandomBytes(Math.round((budget * 0.4 * 0.75) / 1.0), `${name}/${prng.next()}`);
  const base64 = random.toString('base64').replace(/.{76}/g, '$&\n');
  entries.push({
    name: `${name}/files/ca-bundle.pem`,
    data: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
  });
  return entries;
}

function serviceTemplate(name: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-${name}\nspec:\n  ports:\n    - port: {{ .Values.service.port }}\n`;
}

/** Deterministic bytes (xorshift32 seeded from `seed`): the same chart always has the same digest. */
export function pseudoRandomBytes(length: number, seed: string): Buffer {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619) >>> 0;
  state ||= 1;
  const words = new Uint32Array(Math.ceil(length / 4));
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words[i] = state;
  }
  return Buffer.from(words.buffer, 0, length);
}
