/**
 * Gunzip with Go's compress/gzip semantics as Helm meets them: members are read one after another (multistream),
 * and the caller can stop at any point, after which nothing more is inflated or checked. That matters because
 * Go's tar reader stops at the archive's end marker, so Helm accepts a .tgz with garbage or a damaged trailer
 * after it; node's Gunzip would fail on those. The gzip framing is parsed here, the deflate data goes to
 * node:zlib InflateRaw. (Trailer CRC/size are not verified: Go checks them only when a tar has no end marker.)
 */
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { RejectionFault } from './errors';

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const TRAILER_BYTES = 8;

/** Length of the gzip member header at the start of `b`, or undefined if more bytes are needed. */
function headerLength(b: Buffer, first: boolean): number | undefined {
  if (b.length < 10) return undefined;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 0x08) {
    throw first
      ? new RejectionFault(
          'not-gzip',
          'the file does not appear to be a gzipped archive',
          'a gzipped tar archive (.tgz)',
        )
      : new RejectionFault('corrupt-gzip', 'gzip: invalid header after the first gzip member', 'a valid gzip stream');
  }
  const flags = b[3];
  let p = 10;
  if (flags & FEXTRA) {
    if (b.length < p + 2) return undefined;
    p += 2 + b.readUInt16LE(p);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const nul = b.indexOf(0, p);
      if (nul === -1) return undefined;
      p = nul + 1;
    }
  }
  if (flags & FHCRC) p += 2;
  return b.length >= p ? p : undefined;
}

function zlibRejection(error: Error): RejectionFault {
  if (/unexpected end/i.test(error.message)) {
    return new RejectionFault('truncated', 'the gzip stream ends early (unexpected EOF)', 'a complete gzip stream');
  }
  return new RejectionFault('corrupt-gzip', `the gzip stream is corrupt (${error.message})`, 'a valid gzip stream');
}

interface Member {
  readonly inflate: InflateRaw;
  /** Chunks given to this member's inflater and not known to be consumed yet. */
  fed: Buffer[];
  /** Bytes of `fed` chunks already dropped. */
  dropped: number;
  ended: boolean;
  readonly done: Promise<void>;
}

export class GoGunzip {
  /** A rejection (or an error thrown by the data callback); once set, nothing more is processed. */
  failure: unknown;
  private stopped = false;
  private pending: Buffer = Buffer.alloc(0); // bytes between members: trailer and next header
  private member: Member | undefined;
  private members = 0;
  private trailerNeeded = 0;

  /** `onData` gets decompressed bytes in order; it may throw to stop everything. */
  constructor(private readonly onData: (chunk: Buffer) => void) {}

  /** Stop inflating: what follows no longer matters (or a failure is known). */
  stop(): void {
    this.stopped = true;
    this.member?.inflate.destroy();
  }

  get active(): boolean {
    return !this.stopped && this.failure === undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.active) return;
    if (this.member && !this.member.ended) {
      await this.feed(this.member, chunk);
      if (this.member?.ended) await this.afterMember();
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    await this.pump();
  }

  /** The compressed input ended. Resolves when every member is inflated (or on failure/stop). */
  async end(): Promise<void> {
    while (this.active) {
      const member = this.member;
      if (member && !member.ended) {
        member.inflate.end();
        await member.done;
        if (!member.ended) return; // destroyed: a failure or a stop
      }
      if (this.member) {
        await this.afterMember();
        continue; // the rest may have started another member
      }
      // Between members: clean only with a complete trailer and no partial header after it.
      if (this.trailerNeeded > 0 || this.pending.length > 0) {
        this.fail(
          new RejectionFault('truncated', 'the gzip stream ends early (unexpected EOF)', 'a complete gzip stream'),
        );
      }
      return;
    }
  }

  private fail(error: unknown): void {
    if (this.failure === undefined && !this.stopped) this.failure = error;
    this.member?.inflate.destroy();
  }

  /** Parses trailer and header bytes in `pending`, starting the next member when its header is complete. */
  private async pump(): Promise<void> {
    while (this.active && this.pending.length > 0) {
      if (this.trailerNeeded > 0) {
        const n = Math.min(this.trailerNeeded, this.pending.length);
        this.trailerNeeded -= n;
        this.pending = this.pending.subarray(n);
        continue;
      }
      let length: number | undefined;
      try {
        length = headerLength(this.pending, this.members === 0);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (length === undefined) return;
      const body = this.pending.subarray(length);
      this.pending = Buffer.alloc(0);
      const member = this.startMember();
      if (body.length > 0) {
        await this.feed(member, body);
        if (member.ended) await this.afterMember();
      }
      return;
    }
  }

  private startMember(): Member {
    this.members++;
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const member: Member = { inflate, fed: [], dropped: 0, ended: false, done };
    inflate.on('data', (out: Buffer) => {
      if (!this.active) return;
      try {
        this.onData(out);
      } catch (error) {
        this.fail(error);
      }
    });
    inflate.once('end', () => {
      member.ended = true;
      resolveDone();
    });
    inflate.once('error', (error: Error) => {
      this.fail(zlibRejection(error));
      resolveDone();
    });
    inflate.once('close', resolveDone);
    this.member = member;
    return member;
  }

  private async feed(member: Member, chunk: Buffer): Promise<void> {
    member.fed.push(chunk);
    // Drop chunks the inflater has fully consumed (bytesWritten counts consumed input).
    while (member.fed.length > 1 && member.dropped + member.fed[0].length <= member.inflate.bytesWritten) {
      member.dropped += (member.fed.shift() as Buffer).length;
    }
    if (!member.inflate.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          member.inflate.off('drain', done);
          member.inflate.off('end', done);
          member.inflate.off('close', done);
          resolve();
        };
        member.inflate.once('drain', done);
        member.inflate.once('end', done);
        member.inflate.once('close', done);
      });
    }
  }

  /** The member's deflate data ended: what it did not consume is its trailer, then maybe another member. */
  private async afterMember(): Promise<void> {
    const member = this.member;
    if (!member || !this.active) return;
    this.member = undefined;
    const consumed = member.inflate.bytesWritten - member.dropped;
    const rest = Buffer.concat(member.fed).subarray(consumed);
    this.trailerNeeded = TRAILER_BYTES;
    this.pending = rest;
    await this.pump();
  }
}
