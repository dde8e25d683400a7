/**
 * The large existing index of benchmark (b): `versions` entries (100 versions per chart name) shaped as
 * `helm repo index --url` writes them (about 550 bytes each: 10,000 versions = 5.5 MB of YAML), in YAML and in
 * JSON. Written once per size and reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function entry(name: string, version: string, index: number): Record<string, unknown> {
  const created = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString().replace('Z', '123456Z');
  return {
    apiVersion: 'v2',
    appVersion: version,
    created,
    description: `${name} runs a small web service and its worker`,
    digest: createHash('sha256').update(`${name}-${version}`).digest('hex'),
    home: `https://example.com/charts/${name}`,
    keywords: ['web', 'service'],
    maintainers: [{ email: 'platform@example.com', name: 'Platform Team' }],
    name,
    sources: [`https://github.com/example/${name}`],
    type: 'application',
    urls: [`https://charts.example.com/stable/${name}-${version}.tgz`],
    version,
  };
}

/** Helm's YAML layout for these entries (sorted keys, two-space indent, quoted strings where YAML needs it). */
function toHelmYaml(entries: Record<string, Record<string, unknown>[]>, generated: string): string {
  const lines = ['apiVersion: v1', 'entries:'];
  for (const [name, versions] of Object.entries(entries)) {
    lines.push(`  ${name}:`);
    for (const v of versions) {
      const maintainer = (v.maintainers as { email: string; name: string }[])[0];
      lines.push(
        `  - apiVersion: ${v.apiVersion}`,
        `    appVersion: ${v.appVersion}`,
        `    created: "${v.created}"`,
        `    description: ${v.description}`,
        `    digest: ${v.digest}`,
        `    home: ${v.home}`,
        '    keywords:',
        ...(v.keywords as string[]).map((k) => `    - ${k}`),
        '    maintainers:',
        `    - email: ${maintainer.email}`,
        `      name: ${maintainer.name}`,
        `    name: ${v.name}`,
        '    sources:',
        ...(v.sources as string[]).map((s) => `    - ${s}`),
        `    type: ${v.type}`,
        '    urls:',
        ...(v.urls as string[]).map((u) => `    - ${u}`),
        `    version: ${v.version}`,
      );
    }
  }
  lines.push(`generated: "${generated}"`, '');
  return lines.join('\n');
}

export function buildLargeIndex(
  work: string,
  versions: number,
): { yamlFile: string; jsonFile: string; sizeBytes: number } {
  const dir = join(work, `index-${versions}`);
  const yamlFile = join(dir, 'index.yaml');
  const jsonFile = join(dir, 'index.json');
  if (!existsSync(jsonFile)) {
    mkdirSync(dir, { recursive: true });
    const entries: Record<string, Record<string, unknown>[]> = {};
    for (let i = 0; i < versions; i++) {
      const name = `app-${String(Math.floor(i / 100)).padStart(4, '0')}`;
      // Newest first, as Helm sorts them.
      const n = 99 - (i % 100);
      (entries[name] ??= []).push(entry(name, `${Math.floor(n / 10)}.${n % 10}.0`, i));
    }
    const generated = '2024-06-01T00:00:00.000000000Z';
    writeFileSync(yamlFile, toHelmYaml(entries, generated));
    writeFileSync(jsonFile, JSON.stringify({ apiVersion: 'v1', entries, generated }, null, 2));
  }
  return { yamlFile, jsonFile, sizeBytes: statSync(yamlFile).size };
}
