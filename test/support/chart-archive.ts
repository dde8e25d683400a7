/**
 * Builds chart archives byte by byte for tests: a tiny tar writer (USTAR headers, any type flag, PAX records,
 * GNU long names, raw sizes) and gzip via node:zlib, so malformed archives can be made on purpose. Tests need
 * exact control over the bytes (Chart.yaml with a BOM, CRLF, odd entry order, ...), which `helm package` (it
 * re-serializes Chart.yaml) cannot give; and it is fast: thousands of archives per second.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntrySpec {
  readonly name: string;
  /** File content; ignored for directories and links. */
  readonly data?: string | Buffer;
  /** Tar type flag: '0' file (default), '5' dir, '2' symlink, '1' hard link, 'x' PAX, 'L' GNU long name... */
  readonly type?: string;
  readonly mode?: number;
  readonly linkname?: string;
  /** Overrides the size field (the data written stays `data`). */
  readonly size?: number;
  /**
   * The USTAR prefix field, written as given. Without it a name over 100 bytes is split at a slash into prefix
   * and name, as tar does (unless `gnuLongName`).
   */
  readonly prefix?: string;
  /** Corrupts the header checksum. */
  readonly badChecksum?: boolean;
  /** PAX records emitted in an `x` header before this entry. */
  readonly pax?: Readonly<Record<string, string>>;
  /** Emit a GNU `L` long-name header before this entry (the header's own name is truncated). */
  readonly gnuLongName?: boolean;
}

const BLOCK = 512;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

/** The name and prefix fields: a long name split at a slash into prefix (<=155 bytes) + name (<=100 bytes). */
function nameFields(spec: TarEntrySpec): { name: string; prefix: string } {
  if (spec.prefix !== undefined || spec.gnuLongName || Buffer.byteLength(spec.name) <= 100) {
    return { name: spec.name.slice(0, 100), prefix: spec.prefix ?? '' };
  }
  for (let cut = spec.name.lastIndexOf('/'); cut > 0; cut = spec.name.lastIndexOf('/', cut - 1)) {
    const prefix = spec.name.slice(0, cut);
    const name = spec.name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`tar: path too long for ustar (set gnuLongName or pax): ${spec.name}`);
}

export function tarHeader(spec: TarEntrySpec, dataLength: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = nameFields(spec);
  h.write(name, 0, 'utf8');
  h.write(octal(spec.mode ?? (spec.type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(spec.size ?? dataLength, 12), 124, 'latin1');
  h.write(octal(1_700_000_000, 12), 136, 'latin1');
  h.write(spec.type ?? '0', 156, 'latin1');
  if (spec.linkname) h.write(spec.linkname, 157, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  if (prefix) h.write(prefix, 345, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  if (spec.badChecksum) h[148] = '7'.charCodeAt(0);
  return h;
}

function pad(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

function paxBody(records: Readonly<Record<string, string>>): Buffer {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len++;
    parts.push(`${len}${body}`);
  }
  return Buffer.from(parts.join(''), 'utf8');
}

export interface TarOptions {
  /** Write the two zero blocks that end an archive (default true). */
  readonly endMarker?: boolean;
}

/** A tar stream (uncompressed) holding `entries`. */
export function tar(entries: readonly TarEntrySpec[], options: TarOptions = {}): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const body = paxBody(e.pax);
      out.push(tarHeader({ name: 'PaxHeader', type: 'x' }, body.length), ...pad(body));
    }
    if (e.gnuLongName) {
      const body = Buffer.from(`${e.name}\0`, 'utf8');
      out.push(tarHeader({ name: '././@LongLink', type: 'L' }, body.length), ...pad(body));
    }
    const headerOnly = ['1', '2', '3', '4', '5', '6'].includes(e.type ?? '0');
    const data = headerOnly ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    out.push(tarHeader(e, data.length));
    if (data.length > 0) out.push(...pad(data));
  }
  if (options.endMarker !== false) out.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(out);
}

/** gzip at `level` (default 6, as `helm package`). */
export function gzip(data: Buffer, level = 6): Buffer {
  return gzipSync(data, { level });
}

/** A minimal valid chart's files under `dir/`. */
export function chartFiles(chartYaml: string | Buffer, dir = 'mychart', extra: TarEntrySpec[] = []): TarEntrySpec[] {
  return [
    { name: `${dir}/Chart.yaml`, data: chartYaml },
    { name: `${dir}/values.yaml`, data: 'replicaCount: 1\n' },
    { name: `${dir}/templates/deployment.yaml`, data: 'kind: Deployment\n' },
    ...extra,
  ];
}

export const SIMPLE_CHART_YAML = 'apiVersion: v2\nname: mychart\nversion: 1.2.3\n';

/** A gzipped chart archive with the given Chart.yaml. */
export function chartArchive(chartYaml: string | Buffer = SIMPLE_CHART_YAML, extra: TarEntrySpec[] = []): Buffer {
  return gzip(tar(chartFiles(chartYaml, 'mychart', extra)));
}

export interface SmallChartOptions {
  readonly name: string;
  /** Written as given, so an invalid version makes an invalid chart. */
  readonly version: string;
  readonly description?: string;
  readonly appVersion?: string;
  /** Changes the bytes (and so the digest) of the same name and version. */
  readonly salt?: string;
}

/**
 * A small valid chart archive (Chart.yaml, values and one template under `name/`, as `helm package` lays them
 * out; ~500 bytes gzipped): fast enough to make thousands.
 */
export function smallChartArchive(options: SmallChartOptions): Buffer {
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
  const values = options.salt === undefined ? 'replicaCount: 1\n' : `replicaCount: 1\nsalt: "${options.salt}"\n`;
  return gzip(
    tar([
      { name: `${name}/Chart.yaml`, data: chartYaml },
      { name: `${name}/values.yaml`, data: values },
      {
        name: `${name}/templates/configmap.yaml`,
        data: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
      },
    ]),
  );
}

/** The bytes as a stream of chunks, as S3 or a file stream would deliver them. */
export async function* chunks(data: Buffer, size = 16 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
