/**
 * The bucket's objects as plain files under `<dataDir>/<bucket>/`, with an in-memory catalogue (size, ETag,
 * LastModified) rebuilt from the files at start. Writes go to a temporary file first and are committed by a
 * synchronous check-and-rename, so a conditional write (If-Match / If-None-Match) is atomic against every other
 * write in this process: the indexer's no-lost-update guarantee holds here as it does on S3.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { mkdir, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { keyPathProblem, keyToPath, pathToKey } from './object-key-path';

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** Hex MD5 (or `<md5 of part md5s>-N` for a multipart upload), without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
  /** As sent by the writer; undefined for objects found on disk at start. */
  readonly contentType?: string;
}

/** How the object came to be, as the S3 event name says it (`ObjectCreated:<name>`). */
export type CreatedBy = 'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload';

export type StoreChange =
  | { readonly kind: 'created'; readonly object: ObjectInfo; readonly createdBy: CreatedBy }
  | { readonly kind: 'removed'; readonly key: string };

/** S3 conditional-write headers. ETags may be quoted or not (radosgw wants them unquoted, AWS takes both). */
export interface WriteConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
}

export interface WriteOptions {
  readonly contentType?: string;
  readonly conditions?: WriteConditions;
  readonly createdBy: CreatedBy;
}

/** A temporary file holding an upload's bytes, not yet an object. */
export interface WrittenFile {
  readonly path: string;
  readonly size: number;
  /** Hex MD5, or for a multipart upload `<md5 of the part md5s>-N`. */
  readonly etag: string;
  /** Hex SHA-256 of the bytes (empty when not computed, as for an assembled multipart upload). */
  readonly sha256: string;
}

/** The data directory cannot be created or written. */
export class DataDirectoryError extends Error {
  override readonly name = 'DataDirectoryError';
}

/** The key cannot be stored (see keyPathProblem) or collides with a folder of other keys. */
export class InvalidObjectKeyError extends Error {
  override readonly name = 'InvalidObjectKeyError';
}

/** An If-Match / If-None-Match condition did not hold (S3 answers 412). */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

/** If-Match named an object that does not exist (S3 answers 404 NoSuchKey). */
export class NoSuchKeyError extends Error {
  override readonly name = 'NoSuchKeyError';
}

export class FileObjectStore {
  /**
   * Opens (creating when needed) the bucket folder under `dataDir` and catalogues the files already there.
   * Fails with a message naming the folder when it cannot be written.
   */
  static async open(options: {
    readonly dataDir: string;
    readonly bucket: string;
    readonly onChange?: (change: StoreChange) => void;
  }): Promise<FileObjectStore> {
    const bucketDir = join(options.dataDir, options.bucket);
    const tempDir = join(options.dataDir, '.tmp');
    try {
      await mkdir(bucketDir, { recursive: true });
      await rm(tempDir, { recursive: true, force: true });
      await mkdir(tempDir, { recursive: true });
      const probe = join(tempDir, `probe-${randomUUID()}`);
      await writeFile(probe, '');
      await unlink(probe);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new DataDirectoryError(
        `data directory ${options.dataDir} is not writable (${reason}); expected a folder this user can write`,
        { cause: error },
      );
    }
    const store = new FileObjectStore(bucketDir, tempDir, options.onChange);
    await store.catalogue(bucketDir);
    return store;
  }

  private readonly objects = new Map<string, ObjectInfo>();

  private constructor(
    readonly bucketDir: string,
    private readonly tempDir: string,
    private readonly onChange: ((change: StoreChange) => void) | undefined,
  ) {}

  head(key: string): ObjectInfo | undefined {
    return this.objects.get(key);
  }

  /** Every object, sorted by key in UTF-8 byte order (the order S3 lists in). */
  list(): ObjectInfo[] {
    return [...this.objects.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  /** The object's bytes, optionally a range [start, end] inclusive. */
  read(info: ObjectInfo, range?: { start: number; end: number }): Readable {
    return createReadStream(keyToPath(this.bucketDir, info.key), range);
  }

  /** A small object's bytes at once (an index, to report what changed). */
  readWhole(info: ObjectInfo): Buffer {
    return readFileSync(keyToPath(this.bucketDir, info.key));
  }

  /** A fresh path in the store's temporary folder (same file system as the bucket, so rename is atomic). */
  tempPath(): string {
    return join(this.tempDir, randomUUID());
  }

  /**
   * Streams `body` into a new temporary file and returns what was written. The caller commits it with
   * commitFile (after checking digests it was sent) or deletes it with discard.
   */
  async writeTemp(body: AsyncIterable<Uint8Array> | Readable): Promise<WrittenFile> {
    const path = this.tempPath();
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Uint8Array>) {
          for await (const chunk of source) {
            md5.update(chunk);
            sha256.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(path),
      );
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return { path, size, etag: md5.digest('hex'), sha256: sha256.digest('hex') };
  }

  /** Removes the temporary folder (at shutdown, once no upload is in progress). */
  removeTempFolder(): void {
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** Deletes a temporary file that will not be committed. */
  discard(written: WrittenFile): void {
    rmSync(written.path, { force: true });
  }

  /**
   * Commits a temporary file as `key` if the conditions hold now; the file is moved, or deleted on failure.
   */
  commitFile(key: string, written: WrittenFile, options: WriteOptions): ObjectInfo {
    try {
      this.assertStorable(key);
      return this.commit(key, written, options);
    } finally {
      rmSync(written.path, { force: true });
    }
  }

  /** Removes `key`; returns false when there was nothing to remove (S3 answers 204 either way). */
  remove(key: string): boolean {
    if (!this.objects.has(key)) return false;
    const path = keyToPath(this.bucketDir, key);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.objects.delete(key);
    this.pruneEmptyFolders(dirname(path));
    this.onChange?.({ kind: 'removed', key });
    return true;
  }

  // Synchronous from the condition check to the catalogue update: nothing else can run in between.
  private commit(key: string, written: WrittenFile, options: WriteOptions): ObjectInfo {
    this.checkConditions(key, options.conditions);
    const path = keyToPath(this.bucketDir, key);
    try {
      mkdirSync(dirname(path), { recursive: true });
      renameSync(written.path, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
        throw new InvalidObjectKeyError(
          `key ${JSON.stringify(key)} collides with another object's folder or file here (a key that is also another key's folder); this local server stores objects as files, so choose a key that is not a prefix of another`,
        );
      }
      throw error;
    }
    const info: ObjectInfo = {
      key,
      size: written.size,
      etag: written.etag,
      lastModified: statSync(path).mtime,
      contentType: options.contentType,
    };
    this.objects.set(key, info);
    this.onChange?.({ kind: 'created', object: info, createdBy: options.createdBy });
    return info;
  }

  private checkConditions(key: string, conditions: WriteConditions | undefined): void {
    const current = this.objects.get(key);
    const ifMatch = conditions?.ifMatch;
    const ifNoneMatch = conditions?.ifNoneMatch;
    if (ifMatch !== undefined) {
      if (current === undefined) throw new NoSuchKeyError(`If-Match ${ifMatch}: object ${key} does not exist`);
      if (!etagListMatches(ifMatch, current.etag)) {
        throw new PreconditionFailedError(`If-Match ${ifMatch}: object ${key} has ETag "${current.etag}"`);
      }
    }
    if (ifNoneMatch !== undefined && current !== undefined && etagListMatches(ifNoneMatch, current.etag)) {
      throw new PreconditionFailedError(
        `If-None-Match ${ifNoneMatch}: object ${key} exists with ETag "${current.etag}"`,
      );
    }
  }

  private assertStorable(key: string): void {
    const problem = keyPathProblem(key);
    if (problem !== undefined)
      throw new InvalidObjectKeyError(`key ${JSON.stringify(key)} cannot be stored: ${problem}`);
  }

  private pruneEmptyFolders(folder: string): void {
    while (folder.startsWith(this.bucketDir) && folder !== this.bucketDir) {
      try {
        rmdirSync(folder);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      folder = dirname(folder);
    }
  }

  private async catalogue(folder: string): Promise<void> {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await this.catalogue(path);
      } else if (entry.isFile()) {
        const key = pathToKey(relative(this.bucketDir, path));
        if (keyPathProblem(key) !== undefined) continue;
        const hash = createHash('md5');
        await pipeline(createReadStream(path), hash);
        const stats = await stat(path);
        this.objects.set(key, { key, size: stats.size, etag: hash.digest('hex'), lastModified: stats.mtime });
      }
    }
  }
}

/** True when an If-Match / If-None-Match header value (`*`, or ETags, quoted or not) names `etag`. */
export function etagListMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((value) =>
      value
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((value) => value === '*' || value === etag);
}
