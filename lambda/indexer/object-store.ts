/**
 * What the indexer needs from S3, with no SDK types, so the update logic reads as plain code and the SDK stays
 * in one file (s3-store.ts). "Absent" is always `undefined`; every other failure throws.
 */

/** What S3 says about an object right now. */
export interface ObjectInfo {
  readonly key: string;
  /** Without quotes: radosgw refuses a quoted If-Match, AWS accepts both. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly sizeBytes: number;
}

/** A text object and the ETag to make the next write conditional on. */
export interface TextObject {
  readonly text: string;
  readonly etag: string;
}

export interface WriteTextOptions {
  readonly contentType: string;
  readonly cacheControl: string;
  /** Write only if the object still has this ETag (`If-Match`). */
  readonly ifMatch?: string;
  /** Write only if no object exists (`If-None-Match: *`). */
  readonly ifNoneMatch?: '*';
}

/** One page of a folder listing (delimiter `/`): the objects directly in it and its sub-folders. */
export interface FolderPage {
  readonly objects: readonly ObjectInfo[];
  readonly folders: readonly string[];
}

export interface ObjectStore {
  readText(bucket: string, key: string): Promise<TextObject | undefined>;
  /**
   * Writes `body` if the condition holds. Returns 'conflict' when it does not (412, 409, or 404 for an
   * If-Match on an object deleted meanwhile): the caller re-reads and re-applies.
   */
  writeText(bucket: string, key: string, body: string, options: WriteTextOptions): Promise<'written' | 'conflict'>;
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /**
   * Streams an object into `consume` (the stream is released afterwards even if `consume` stops early).
   * Resolves undefined, without calling `consume`, when the object does not exist.
   */
  read<T>(
    bucket: string,
    key: string,
    consume: (info: ObjectInfo, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T | undefined>;
  /** Pages of the folder `prefix` (non-recursive). */
  listFolder(bucket: string, prefix: string): AsyncIterable<FolderPage>;
}
