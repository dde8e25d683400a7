/**
 * An in-memory ObjectStore with S3's conditional-write semantics (If-Match / If-None-Match) and pages of
 * 1,000 keys, for indexer tests that need scale or exact interleavings rather than a real server.
 * Archives are read only when they hold bytes: reading an entry that should have been kept fails the test.
 */
import type {
  FolderPage,
  ObjectInfo,
  ObjectStore,
  TextObject,
  WriteTextOptions,
} from '../../lambda/indexer/object-store';

const PAGE = 1000;

export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, { info: ObjectInfo; bytes?: Buffer; text?: string }>();
  readonly counts = { listPages: 0, reads: 0, writes: 0, inFlight: 0, peakInFlight: 0 };
  /** Runs after an archive's bytes are fetched and before they are consumed: lets a test pause one reader. */
  afterFetch?: (key: string) => Promise<void>;

  async readText(_bucket: string, key: string): Promise<TextObject | undefined> {
    const object = this.objects.get(key);
    return object?.text === undefined ? undefined : { text: object.text, etag: object.info.etag };
  }

  async writeText(
    _bucket: string,
    key: string,
    body: string,
    options: WriteTextOptions,
  ): Promise<'written' | 'conflict'> {
    const current = this.objects.get(key);
    if (options.ifNoneMatch === '*' ? current !== undefined : current?.info.etag !== options.ifMatch) return 'conflict';
    this.counts.writes += 1;
    this.objects.set(key, {
      info: { key, etag: `w${this.counts.writes}`, lastModified: new Date(), sizeBytes: body.length },
      text: body,
    });
    return 'written';
  }

  async head(_bucket: string, key: string): Promise<ObjectInfo | undefined> {
    return this.objects.get(key)?.info;
  }

  async read<T>(
    _bucket: string,
    key: string,
    consume: (info: ObjectInfo, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T | undefined> {
    const object = this.objects.get(key);
    if (object === undefined) return undefined;
    if (object.bytes === undefined) throw new Error(`${key} was read, but it is unchanged and should have been kept`);
    this.counts.reads += 1;
    this.counts.inFlight += 1;
    this.counts.peakInFlight = Math.max(this.counts.peakInFlight, this.counts.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const bytes = object.bytes;
      await this.afterFetch?.(key);
      return await consume(
        object.info,
        (async function* () {
          yield bytes;
        })(),
      );
    } finally {
      this.counts.inFlight -= 1;
    }
  }

  async *listFolder(_bucket: string, prefix: string): AsyncIterable<FolderPage> {
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/'))
      .sort();
    for (let i = 0; i < keys.length; i += PAGE) {
      this.counts.listPages += 1;
      yield { objects: keys.slice(i, i + PAGE).map((key) => this.objects.get(key)!.info), folders: [] };
    }
  }
}
