/**
 * Reads whole files into one reused buffer, synchronously. Indexing reads a thousand archives of a few hundred
 * KiB: a fresh buffer per file is garbage that V8 frees only when its small JS handle is collected, so tens of
 * MiB of dead file buffers add to peak memory. Synchronous because each reading thread has nothing else to do
 * meanwhile: an asynchronous open, read and close are three trips through libuv's pool per file, and the thread
 * sat idle a quarter of the time waiting for them. The bytes returned are valid until the reader's next read
 * (the engine keeps nothing of them: hashing and inflating finish before it returns).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export class ReusedBufferReader {
  private buffer = Buffer.alloc(0);

  /** The file's bytes; `expectedSize` (from stat) sizes the buffer, a file that grew since is still read whole. */
  read(path: string, expectedSize: number): Buffer {
    // One spare byte: a read that fills the buffer means the file grew, and then it is read the plain way.
    if (this.buffer.length < expectedSize + 1) this.buffer = Buffer.allocUnsafe(Math.max(expectedSize + 1, 256 * 1024));
    const fd = openSync(path, 'r');
    let length = 0;
    try {
      for (;;) {
        const bytes = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (bytes === 0) break;
        length += bytes;
        if (length === this.buffer.length) return readFileSync(path);
      }
    } finally {
      closeSync(fd);
    }
    return this.buffer.subarray(0, length);
  }
}
