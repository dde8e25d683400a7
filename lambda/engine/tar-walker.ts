/**
 * An incremental tar reader with Go's archive/tar semantics (which Helm uses): header checksums verified, USTAR
 * prefixes, PAX `x` records and GNU `L`/`K` long names merged into the next header, header-only types (links,
 * devices, directories, FIFOs) carry no data whatever their size field says, two zero blocks end the archive and
 * nothing after them is read. It only tracks offsets; the visitor decides which entry data to keep.
 */
import { RejectionFault } from './errors';
import { BLOCK, corrupt, cString, parseTarHeader } from './tar-header';

export interface TarEntry {
  /** Full name after PAX / GNU long-name merging. */
  readonly name: string;
  /** Go's Typeflag, with '\0' already turned into '0' or '5' (trailing slash) as Go does. */
  readonly type: string;
  /** Size as the header states it (Helm checks limits against this). */
  readonly size: number;
  /** Bytes of data that follow in the stream (0 for header-only types). */
  readonly dataSize: number;
  readonly mode: number;
  /** What Go's FileInfo().IsDir() says. */
  readonly isDir: boolean;
}

export interface TarVisitor {
  /** Called for each entry (except PAX/GNU extension headers); return true to receive its data. */
  entry(entry: TarEntry): boolean;
  /** The entry's complete data, when entry() returned true. */
  data(entry: TarEntry, data: Buffer): void;
}

/** Go's maxSpecialFileSize: PAX and GNU long-name records above 1 MiB are refused. */
const MAX_SPECIAL = 1 << 20;
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/** PAX records: "%d %s=%s\n", the length counting the record's bytes. */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const digits = space > offset ? data.toString('latin1', offset, space) : '';
    const length = /^[0-9]+$/.test(digits) ? Number(digits) : NaN;
    const end = offset + length;
    if (!Number.isSafeInteger(length) || end > data.length || end <= space + 1 || data[end - 1] !== 0x0a) {
      throw corrupt('invalid PAX record');
    }
    const body = data.toString('utf8', space + 1, end - 1);
    const eq = body.indexOf('=');
    if (eq <= 0) throw corrupt('invalid PAX record');
    const value = body.slice(eq + 1);
    if (value === '') records.delete(body.slice(0, eq));
    else records.set(body.slice(0, eq), value);
    offset = end;
  }
  return records;
}

type State = 'header' | 'data' | 'padding' | 'end';

export class TarWalker {
  private state: State = 'header';
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private zeroBlocks = 0;
  private remaining = 0;
  private padding = 0;
  private current: TarEntry | undefined;
  private special: string | undefined; // 'x', 'g', 'L', 'K' while reading their data
  private capture: Buffer[] | undefined;
  private pax = new Map<string, string>();
  private longName: string | undefined;
  private entries = 0;
  /** Decompressed bytes consumed so far. */
  bytesSeen = 0;

  constructor(private readonly visitor: TarVisitor) {}

  /** True once the end-of-archive marker (two zero blocks) has been read; later bytes are ignored as Go does. */
  get ended(): boolean {
    return this.state === 'end';
  }

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== 'end') {
      if (this.state === 'header') {
        if (this.headerFill === 0 && chunk.length - offset >= BLOCK) {
          // The whole block is in this chunk: read it in place.
          offset += BLOCK;
          this.onHeader(chunk, offset - BLOCK);
          continue;
        }
        const n = Math.min(BLOCK - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + n);
        this.headerFill += n;
        offset += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader(this.header, 0);
        }
      } else if (this.state === 'data') {
        const n = Math.min(this.remaining, chunk.length - offset);
        if (this.capture) this.capture.push(chunk.subarray(offset, offset + n));
        this.remaining -= n;
        offset += n;
        if (this.remaining === 0) this.onDataEnd();
      } else {
        const n = Math.min(this.padding, chunk.length - offset);
        this.padding -= n;
        offset += n;
        if (this.padding === 0) this.state = 'header';
      }
    }
    this.bytesSeen += offset;
  }

  /**
   * The decompressed stream ended. Like Go, a clean end needs a block boundary between entries (with or without
   * the end marker); ending inside a header or inside an entry's data is a truncated archive.
   */
  finish(): void {
    if (this.state === 'end') return;
    if (this.state === 'header' && this.headerFill === 0) return;
    if (this.entries === 0 && this.state === 'header') {
      throw new RejectionFault(
        'not-tar',
        'the gzip content is not a tar archive (shorter than one tar header)',
        'a gzipped tar archive (.tgz)',
      );
    }
    throw new RejectionFault(
      'truncated',
      'the tar archive ends in the middle of an entry (unexpected EOF)',
      'a complete tar archive',
    );
  }

  /** The header block at `b[at, at + 512)`. */
  private onHeader(b: Buffer, at: number): void {
    const header = parseTarHeader(b, at, this.entries === 0, this.zeroBlocks > 0);
    if (header === undefined) {
      this.zeroBlocks++;
      if (this.zeroBlocks === 2) this.state = 'end';
      return;
    }
    this.entries++;
    const { mode } = header;
    let { name, size, type } = header;

    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (size < 0) throw corrupt('negative size');
      if (size > MAX_SPECIAL) throw corrupt('PAX or GNU long-name header larger than 1 MiB');
      this.special = type;
      this.startData(size, type === 'x' || type === 'L'); // link targets and global headers do not matter to Helm
      return;
    }
    // A regular entry: merge pending PAX records and GNU long names.
    if (this.pax.size > 0) {
      name = this.pax.get('path') ?? name;
      const paxSize = this.pax.get('size');
      if (paxSize !== undefined) {
        if (!/^[0-9]+$/.test(paxSize)) throw corrupt('invalid PAX size record');
        size = Number(paxSize);
      }
      for (const key of this.pax.keys()) {
        if (key.startsWith('GNU.sparse.')) {
          throw new RejectionFault(
            'unsupported-entry',
            `sparse file "${this.longName ?? name}" in the archive`,
            'regular files (charts are never sparse)',
          );
        }
      }
      this.pax = new Map();
    }
    if (this.longName !== undefined) name = this.longName;
    this.longName = undefined;
    if (type === 'S') {
      throw new RejectionFault(
        'unsupported-entry',
        `sparse file "${name}" in the archive`,
        'regular files (charts are never sparse)',
      );
    }
    if (size < 0) throw corrupt('negative size');
    if (type === '\0') type = name.endsWith('/') ? '5' : '0';
    const dataSize = HEADER_ONLY.has(type) ? 0 : size;
    const isDir = type === '5' || mode - (mode % 4096) === 0o40000;
    const entry: TarEntry = { name, type, size, dataSize, mode, isDir };
    this.current = entry;
    this.special = undefined;
    const wanted = this.visitor.entry(entry);
    this.startData(dataSize, wanted);
  }

  private startData(size: number, capture: boolean): void {
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.capture = capture ? [] : undefined;
    if (size === 0) this.onDataEnd();
    else this.state = 'data';
  }

  private onDataEnd(): void {
    const data = this.capture ? Buffer.concat(this.capture) : undefined;
    this.capture = undefined;
    this.state = this.padding > 0 ? 'padding' : 'header';
    const special = this.special;
    this.special = undefined;
    if (special === 'x' && data) {
      for (const [k, v] of parsePax(data)) this.pax.set(k, v);
    } else if (special === 'L' && data) {
      this.longName = cString(data, 0, data.length);
    } else if (special === undefined && this.current && data) {
      this.visitor.data(this.current, data);
    }
  }
}
