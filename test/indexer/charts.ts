/**
 * Small chart archives built in the test (no helm needed): a gzip'd tar of `<name>/Chart.yaml` and a
 * values file, as `helm package` lays them out. `salt` changes the bytes (and so the digest) of the same version.
 */
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface ChartSpec {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly salt?: string;
}

export async function chartArchive(spec: ChartSpec): Promise<Buffer> {
  const chartYaml = [
    'apiVersion: v2',
    `name: ${spec.name}`,
    `version: ${spec.version}`,
    `description: ${spec.description ?? `The ${spec.name} chart`}`,
    'type: application',
    'appVersion: "1.0"',
    '',
  ].join('\n');
  return tarGz([
    { name: `${spec.name}/Chart.yaml`, body: chartYaml },
    { name: `${spec.name}/values.yaml`, body: `replicaCount: 1\nsalt: "${spec.salt ?? ''}"\n` },
    { name: `${spec.name}/templates/configmap.yaml`, body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' },
  ]);
}

/** A gzip'd tar that is not a chart (no Chart.yaml): the engine rejects it. */
export function notAChart(): Promise<Buffer> {
  return tarGz([{ name: 'something/README.md', body: '# not a chart\n' }]);
}

async function tarGz(files: readonly { name: string; body: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const file of files) {
    pack.entry({ name: file.name, mode: 0o644, mtime: new Date('2026-01-01T00:00:00Z') }, file.body);
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
