/**
 * Writes a file so readers never see half of it: a temporary file in the same folder, then a rename (as Helm's
 * fileutil.AtomicWriteFile does). A web server serving the folder keeps serving the old index until the swap.
 * Synchronous: the command has nothing else to do meanwhile, and node's fs/promises (with the readline module it
 * loads) would add to the startup of every run.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let written = 0;

/** `content` may be given in pieces: they are written in one call, never joined in memory. */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array | readonly Uint8Array[],
  mode = 0o644,
): void {
  // Unique among the writers of one folder: the process id, and a count within the process.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
  try {
    if (isPieces(content)) writePieces(temp, content, mode);
    else writeFileSync(temp, content, { mode });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function isPieces(content: string | Uint8Array | readonly Uint8Array[]): content is readonly Uint8Array[] {
  return Array.isArray(content);
}

function writePieces(path: string, pieces: readonly Uint8Array[], mode: number): void {
  const fd = openSync(path, 'w', mode);
  try {
    const expected = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    // A regular file takes the whole write or fails (disk full); checked anyway, a short file must never be
    // renamed in.
    const written = writevSync(fd, pieces as Uint8Array[]);
    if (written !== expected) throw new Error(`${path}: wrote ${written} of ${expected} bytes`);
  } finally {
    closeSync(fd);
  }
}
