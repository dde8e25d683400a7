/**
 * Writes a file so readers never see half of it: a temporary file in the same folder, then a rename (as Helm's
 * fileutil.AtomicWriteFile does). A web server serving the folder keeps serving the old index until the swap.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `content` may be given in pieces: they are written in one call, never joined in memory. */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array | readonly Uint8Array[],
  mode = 0o644,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (isPieces(content)) await writePieces(temp, content, mode);
    else await writeFile(temp, content, { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function isPieces(content: string | Uint8Array | readonly Uint8Array[]): content is readonly Uint8Array[] {
  return Array.isArray(content);
}

async function writePieces(path: string, pieces: readonly Uint8Array[], mode: number): Promise<void> {
  const file = await open(path, 'w', mode);
  try {
    const expected = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    // libuv writes all of them (it resumes partial writes); checked anyway, a short file must never be renamed in.
    const { bytesWritten } = await file.writev(pieces as Uint8Array[]);
    if (bytesWritten !== expected) throw new Error(`${path}: wrote ${bytesWritten} of ${expected} bytes`);
  } finally {
    await file.close();
  }
}
