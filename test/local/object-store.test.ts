import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataDirectoryError,
  FileObjectStore,
  InvalidObjectKeyError,
  PreconditionFailedError,
} from '../../lambda/local/object-store';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'local-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function put(
  store: FileObjectStore,
  key: string,
  body: string,
  conditions?: { ifMatch?: string; ifNoneMatch?: string },
) {
  return store.commitFile(key, await store.writeTemp(Readable.from([Buffer.from(body)])), {
    createdBy: 'Put',
    conditions,
  });
}

describe('FileObjectStore', () => {
  it('keeps objects as plain files and finds them again after a restart (also files copied in by hand)', async () => {
    const store = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
    const info = await put(store, 'stable/a b+c.tgz', 'abc');
    mkdirSync(join(dir, 'charts', 'dropped'), { recursive: true });
    writeFileSync(join(dir, 'charts', 'dropped', 'x.tgz'), 'xyz');
    const reopened = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
    expect(reopened.list().map((o) => [o.key, o.size, o.etag])).toEqual([
      ['dropped/x.tgz', 3, 'd16fb36f0911f878998c136191af705e'],
      ['stable/a b+c.tgz', 3, info.etag],
    ]);
  });

  it('applies If-Match / If-None-Match at commit time, so the second of two racing writers loses', async () => {
    const store = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
    const first = await put(store, 'stable/index.yaml', 'v1', { ifNoneMatch: '*' });
    await expect(put(store, 'stable/index.yaml', 'v1 again', { ifNoneMatch: '*' })).rejects.toThrow(
      PreconditionFailedError,
    );
    // Both writers read v1; both write with If-Match v1; exactly one wins.
    const results = await Promise.allSettled([
      put(store, 'stable/index.yaml', 'writer A', { ifMatch: first.etag }),
      put(store, 'stable/index.yaml', 'writer B', { ifMatch: `"${first.etag}"` }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses keys that cannot be files, saying why', async () => {
    const store = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
    await expect(put(store, 'stable/../x.tgz', 'x')).rejects.toThrow(/"\.\." path segment/);
    await expect(put(store, 'stable/', 'x')).rejects.toThrow(/folder marker/);
    await expect(put(store, 'a//b', 'x')).rejects.toThrow(InvalidObjectKeyError);
    await put(store, 'file', 'x');
    await expect(put(store, 'file/below', 'x')).rejects.toThrow(/collides/);
  });

  it('removes objects and the folders they leave empty', async () => {
    const store = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
    await put(store, 'a/b/c.tgz', 'x');
    expect(store.remove('a/b/c.tgz')).toBe(true);
    expect(store.remove('a/b/c.tgz')).toBe(false);
    await put(store, 'a', 'now a file where the folder was');
    expect(store.head('a')?.size).toBeGreaterThan(0);
  });

  if (process.getuid?.() !== 0) {
    it('says which data directory is not writable', async () => {
      chmodSync(dir, 0o500);
      await expect(FileObjectStore.open({ dataDir: join(dir, 'sub'), bucket: 'charts' })).rejects.toThrow(
        DataDirectoryError,
      );
    });
  }
  it('says which data directory cannot be created', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(FileObjectStore.open({ dataDir: join(dir, 'a-file', 'data'), bucket: 'charts' })).rejects.toThrow(
      /data directory .*a-file\/data is not writable \(ENOTDIR\)/,
    );
  });
});
