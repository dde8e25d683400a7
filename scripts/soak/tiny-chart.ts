/**
 * Tiny valid chart archives built in process (a Chart.yaml, values and one template, ~500 bytes gzipped):
 * fast enough to make 10,000 for the reindex figure, and lenient enough to make an invalid one (any version
 * string). The soak scenario's charts come from test/support/chart-corpus.ts (realistic, ~4 KiB).
 */
import { gzipSync } from 'node:zlib';

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header + data, padded to 512-byte blocks. Names must fit the 100-byte field. */
function tarEntry(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  if (Buffer.byteLength(name) > 100) throw new Error(`tiny-chart: entry name too long: ${name}`);
  header.write(name, 0, 'utf8');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(data.length, 12), 124);
  header.write(octal(1_700_000_000, 12), 136);
  header.write('        ', 148); // checksum field counts as spaces while summing
  header.write('0', 156);
  header.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding]);
}

export interface TinyChartOptions {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly appVersion?: string;
}

export function tinyChartArchive(options: TinyChartOptions): Buffer {
  const { name, version } = options;
  const chartYaml = [
    'apiVersion: v2',
    `name: ${name}`,
    `version: ${version}`,
    `appVersion: "${options.appVersion ?? '1.0.0'}"`,
    `description: ${JSON.stringify(options.description ?? `${name} ${version}`)}`,
    'type: application',
    '',
  ].join('\n');
  const entries = [
    tarEntry(`${name}/Chart.yaml`, Buffer.from(chartYaml)),
    tarEntry(`${name}/values.yaml`, Buffer.from('replicaCount: 1\n')),
    tarEntry(
      `${name}/templates/configmap.yaml`,
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n'),
    ),
  ];
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
}
