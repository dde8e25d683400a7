/**
 * Counts the S3 requests the indexer makes (logged per invocation: the "S3 requests per chart" figure, and a
 * way to see in production logs what a batch cost). Wraps any ObjectStore.
 */
import type { FolderPage, ObjectInfo, ObjectStore, TextObject, WriteTextOptions } from './object-store';

export interface RequestCounts {
  indexReads: number;
  indexWrites: number;
  heads: number;
  chartReads: number;
  listPages: number;
}

export function emptyCounts(): RequestCounts {
  return { indexReads: 0, indexWrites: 0, heads: 0, chartReads: 0, listPages: 0 };
}

export class CountingStore implements ObjectStore {
  constructor(
    private readonly inner: ObjectStore,
    readonly counts: RequestCounts = emptyCounts(),
  ) {}

  readText(bucket: string, key: string): Promise<TextObject | undefined> {
    this.counts.indexReads += 1;
    return this.inner.readText(bucket, key);
  }

  writeText(bucket: string, key: string, body: string, options: WriteTextOptions): Promise<'written' | 'conflict'> {
    this.counts.indexWrites += 1;
    return this.inner.writeText(bucket, key, body, options);
  }

  head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    this.counts.heads += 1;
    return this.inner.head(bucket, key);
  }

  read<T>(
    bucket: string,
    key: string,
    consume: (info: ObjectInfo, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T | undefined> {
    this.counts.chartReads += 1;
    return this.inner.read(bucket, key, consume);
  }

  async *listFolder(bucket: string, prefix: string): AsyncIterable<FolderPage> {
    for await (const page of this.inner.listFolder(bucket, prefix)) {
      this.counts.listPages += 1;
      yield page;
    }
  }
}
