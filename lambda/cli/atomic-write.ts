/**
 * Writes a file so readers never see half of it: a temporary file in the same folder, then a rename (as Helm's
 * fileutil.AtomicWriteFile does). A web server serving the folder keeps serving the old index until the swap.
 * Synchronous: the command has nothing else to do meanwhile, and node's fs/promises (with the readline module it
 * loads) would add to the startup of every run.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TextSink } from '../engine';
import { collectYoungGeneration } from './v8-settings';

/**
 * What to write: text or bytes; bytes in pieces, written in one call and never joined in memory; or a function
 * that emits text line by line (written in batches of about FLUSH_CHARS, so the whole text is never held).
 */
export type FileContent = string | Uint8Array | readonly Uint8Array[] | ((out: TextSink) => void);

const FLUSH_CHARS = 64 * 1024;

let written = 0;

export function writeFileAtomic(path: string, content: FileContent, mode = 0o644): void {
  // Unique among the writers of one folder: the process id, and a count within the process.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
  try {
    if (typeof content === 'function') writeEmitted(temp, content, mode);
    else if (Array.isArray(content)) writePieces(temp, content as readonly Uint8Array[], mode);
    else writeFileSync(temp, content as string | Uint8Array, { mode });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Opens `path` for writing, runs `write` and closes it. A failed close fails the write, but never hides its error. */
function withNewFile(path: string, mode: number, write: (fd: number) => void): void {
  const fd = openSync(path, 'w', mode);
  try {
    write(fd);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // the write's error is the one to report
    }
    throw error;
  }
  closeSync(fd);
}

function writeEmitted(path: string, emit: (out: TextSink) => void, mode: number): void {
  withNewFile(path, mode, (fd) => {
    let lines: string[] = [];
    let chars = 0;
    const flush = (): void => {
      const bytes = Buffer.from(lines.join(''), 'utf8');
      for (let at = 0; at < bytes.length;) {
        const written = writeSync(fd, bytes, at); // a short write is written on
        if (written <= 0) throw new Error(`${path}: the file took no bytes`);
        at += written;
      }
      lines = [];
      chars = 0;
      collectYoungGeneration(); // the batch's strings (./v8-settings)
    };
    emit({
      push(text) {
        lines.push(text);
        chars += text.length;
        if (chars >= FLUSH_CHARS) flush();
      },
    });
    flush();
  });
}

function writePieces(path: string, pieces: readonly Uint8Array[], mode: number): void {
  withNewFile(path, mode, (fd) => {
    const expected = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    // A regular file takes the whole write or fails (disk full); checked anyway, a short file must never be
    // renamed in.
    const written = writevSync(fd, pieces as Uint8Array[]);
    if (written !== expected) throw new Error(`${path}: wrote ${written} of ${expected} bytes`);
  });
}
