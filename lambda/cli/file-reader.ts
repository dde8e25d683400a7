/**
 * Reads whole files into one reused buffer. Indexing reads a thousand archives of a few hundred KiB: a fresh
 * buffer per file is garbage that V8 frees only when its small JS handle is collected, so tens of MiB of dead
 * file buffers add to peak memory. A reader is used by one read at a time; the bytes it returns are valid
 * until its next read (the engine keeps nothing of them: hashing copies, inflating finishes before it returns).
 */
import { close, open, read, readFile } from 'node:fs';

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));
}

function readAt(fd: number, buffer: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, offset, buffer.length - offset, null, (error, bytes) => (error ? reject(error) : resolve(bytes))),
  );
}

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
}

/** fs.readFile with a callback: faster than the fs/promises one. */
export function readWhole(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFile(path, (error, data) => (error ? reject(error) : resolve(data))));
}

export class ReusedBufferReader {
  private buffer = Buffer.alloc(0);

  /** The file's bytes; `expectedSize` (from stat) sizes the buffer, a file that grew since is still read whole. */
  async read(path: string, expectedSize: number): Promise<Buffer> {
    // One spare byte: a read that fills the buffer means the file grew, and then it is read the plain way.
    if (this.buffer.length < expectedSize + 1) this.buffer = Buffer.allocUnsafe(Math.max(expectedSize + 1, 256 * 1024));
    const fd = await openFile(path);
    let length = 0;
    try {
      for (;;) {
        const bytes = await readAt(fd, this.buffer, length);
        if (bytes === 0) break;
        length += bytes;
        if (length === this.buffer.length) return await readWhole(path);
      }
    } finally {
      await closeFile(fd);
    }
    return this.buffer.subarray(0, length);
  }
}
