/**
 * Header checksums as Go's archive/tar checks them: the unsigned or the signed byte sum (bytes above 127 count
 * negative), the checksum field read as spaces; any other value is a corrupt header. Headers at an odd offset
 * too, as they come in streamed chunks.
 */
import { TarWalker, type TarEntry } from '../../lambda/engine/tar-walker';
import { tarHeader } from '../support/chart-archive';

/** A header whose name and link name are full of bytes above 127, with its stored checksum replaced. */
function header(seed: number, checksum: (unsigned: number, signed: number) => number): Buffer {
  const h = tarHeader({ name: 'x', type: '2', linkname: 'y' }, 0);
  for (let i = 0; i < 100; i++) h[i] = 1 + ((seed * 7919 + i * 104729) % 255);
  for (let i = 157; i < 257; i++) h[i] = (seed * 31 + i * 17) % 256;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  h.write(`${checksum(unsigned, signed).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** Walks `h` placed at `offset` in a larger buffer. */
function accepts(h: Buffer, offset: number): boolean {
  const buffer = Buffer.alloc(offset + 512 * 3);
  h.copy(buffer, offset);
  const entries: TarEntry[] = [];
  const walker = new TarWalker({ entry: (e) => (entries.push(e), false), data: () => undefined });
  try {
    walker.write(buffer.subarray(offset));
  } catch {
    return false;
  }
  return walker.ended && entries.length === 1;
}

describe('tar header checksums', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => i + 1);

  it.each([0, 1])('accepts the unsigned and the signed sum, at offset %i', (offset) => {
    for (const seed of seeds) {
      expect(
        accepts(
          header(seed, (unsigned) => unsigned),
          offset,
        ),
      ).toBe(true);
      expect(
        accepts(
          header(seed, (_, signed) => signed),
          offset,
        ),
      ).toBe(true);
    }
  });

  it.each([0, 1])('refuses a sum off by one, at offset %i', (offset) => {
    for (const seed of seeds) {
      expect(
        accepts(
          header(seed, (unsigned) => unsigned + 1),
          offset,
        ),
      ).toBe(false);
      expect(
        accepts(
          header(seed, (_, signed) => signed - 1),
          offset,
        ),
      ).toBe(false);
    }
  });

  /** A header whose bytes (outside the checksum field) sum to -1 as signed bytes, with `field` as its checksum. */
  function signedSumMinusOne(field: Buffer): Buffer {
    const h = Buffer.alloc(512);
    h.fill(0xff, 0, 100); // 100 bytes of 0xff
    h.fill(0xff, 345, 502); // and 157 more: 257 x (-1) = -257, plus the field's 8 spaces (+256) = -1
    field.copy(h, 148);
    return h;
  }

  it.each([
    ['not octal', Buffer.from('99999999', 'latin1')],
    ['base-256 -1 (Go reads the checksum as octal only)', Buffer.alloc(8, 0xff)],
  ])('refuses a checksum field that is %s, whatever the sums', (_, field) => {
    for (const offset of [0, 1]) expect(accepts(signedSumMinusOne(field), offset)).toBe(false);
  });
});
