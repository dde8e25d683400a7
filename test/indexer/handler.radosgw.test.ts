/**
 * The bundled indexer against a real radosgw: real conditional writes, real 404s, real listings. Charts are
 * published with the SDK; the handler gets AWS-shaped SQS and S3 events with form-encoded keys.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as yaml from 'js-yaml';
import { describeWithRadosgw, startRadosgw, type Radosgw } from '../support/radosgw';
import { s3Event, sqsEvent, sqsOf } from './aws-events';
import { HandlerOutput, loadBundledHandler, type Handler } from './bundled-handler';
import { gzip, smallChartArchive, tar } from '../support/chart-archive';

interface Entry {
  name: string;
  version: string;
  urls: string[];
  digest: string;
  created: string;
}

/** A gzip'd tar that is not a chart (no Chart.yaml): the engine rejects it. */
const notAChart = (): Buffer => gzip(tar([{ name: 'something/README.md', data: '# not a chart\n' }]));

describeWithRadosgw('indexer handler (bundle) against radosgw', () => {
  let rgw: Radosgw;
  let s3: S3Client;
  let handler: Handler;
  const output = new HandlerOutput();
  const savedEnv = { ...process.env };
  let bucketCount = 0;

  beforeAll(async () => {
    rgw = await startRadosgw();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: rgw.endpoint,
      AWS_ACCESS_KEY_ID: rgw.accessKeyId,
      AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
      AWS_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
    });
    s3 = new S3Client({
      endpoint: rgw.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    handler = loadBundledHandler();
    output.start();
  }, 90_000);

  afterAll(async () => {
    output.stop();
    s3?.destroy();
    process.env = savedEnv;
    await rgw?.stop();
  });

  beforeEach(() => {
    output.clear();
    delete process.env.REPOSITORY_PREFIXES;
    delete process.env.INDEX_FORMAT;
  });

  async function newBucket(): Promise<string> {
    bucketCount += 1;
    const bucket = `charts-${bucketCount}-${Date.now().toString(36)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  async function publish(bucket: string, key: string, body: Buffer): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  async function remove(bucket: string, key: string): Promise<void> {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async function readIndex(bucket: string, prefix: string) {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}index.yaml` }));
    const text = await response.Body!.transformToString();
    const document = yaml.load(text) as { apiVersion: string; entries: Record<string, Entry[]> };
    const entries = Object.values(document.entries ?? {}).flat();
    const files = entries.map((e) => decodeURIComponent(e.urls[0])).sort();
    return {
      text,
      document,
      entries,
      files,
      etag: response.ETag,
      contentType: response.ContentType,
      cacheControl: response.CacheControl,
    };
  }

  async function indexExists(bucket: string, prefix: string): Promise<boolean> {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}index.yaml` }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  test('publish -> indexed with digest, created = LastModified, revalidating Cache-Control; a replay changes no entry', async () => {
    const bucket = await newBucket();
    const archive = smallChartArchive({ name: 'hello', version: '1.0.0' });
    await publish(bucket, 'stable/hello-1.0.0.tgz', archive);
    const event = sqsEvent(bucket, ['stable/hello-1.0.0.tgz']);

    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const index = await readIndex(bucket, 'stable/');
    expect(index.document.apiVersion).toBe('v1');
    expect(index.entries).toHaveLength(1);
    const [entry] = index.entries;
    expect(entry).toMatchObject({ name: 'hello', version: '1.0.0', urls: ['hello-1.0.0.tgz'] });
    expect(entry.digest).toBe(createHash('sha256').update(archive).digest('hex'));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stable/hello-1.0.0.tgz' }));
    expect(new Date(entry.created).getTime()).toBe(head.LastModified!.getTime());
    expect(index.contentType).toBe('application/yaml');
    expect(index.cacheControl).toBe('no-cache');
    expect(output.metrics()).toMatchObject({
      ChartsIndexed: 1,
      IndexWrites: 1,
      IndexWriteConflicts: 0,
      ChartsRejected: 0,
    });
    expect(output.s3Requests()).toEqual({ indexReads: 1, chartReads: 1, indexWrites: 1, heads: 0, listPages: 0 });
    const [emf] = output.emf();
    expect((emf._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0].Namespace).toBe(
      'HelmChartRepository',
    );

    output.clear();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    // The replay still writes (see update-repository.ts: an unchanged batch moves the ETag so that a concurrent
    // writer's stale observation cannot win), but with the same entries.
    expect((await readIndex(bucket, 'stable/')).entries).toEqual(index.entries);
    expect(output.metrics()).toMatchObject({ IndexWrites: 1, ChartsIndexed: 0 });
    expect(output.s3Requests()).toMatchObject({ indexWrites: 1 });
  });

  test('odd keys: spaces, +, unicode, nested folders; .prov and other files ignored', async () => {
    const bucket = await newBucket();
    const charts: [string, string, string][] = [
      ['stable/My Apps/odd-1.0.0+build.1.tgz', 'odd', '1.0.0+build.1'],
      ['stable/My Apps/ünïcödé chart-0.1.0.tgz', 'unicode', '0.1.0'],
      ['stable/a+b/plus-2.0.0.tgz', 'plus', '2.0.0'],
      ['stable/nested/deeper/deep-0.1.0.tgz', 'deep', '0.1.0'],
    ];
    for (const [key, name, version] of charts) await publish(bucket, key, smallChartArchive({ name, version }));
    await publish(
      bucket,
      'stable/My Apps/odd-1.0.0+build.1.tgz.prov',
      Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\n'),
    );
    await publish(bucket, 'stable/README.md', Buffer.from('# charts\n'));
    const keys = [...charts.map(([key]) => key), 'stable/My Apps/odd-1.0.0+build.1.tgz.prov', 'stable/README.md'];

    expect(await handler(sqsEvent(bucket, keys))).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'stable/My Apps/')).files).toEqual([
      'odd-1.0.0+build.1.tgz',
      'ünïcödé chart-0.1.0.tgz',
    ]);
    expect((await readIndex(bucket, 'stable/a+b/')).files).toEqual(['plus-2.0.0.tgz']);
    expect((await readIndex(bucket, 'stable/nested/deeper/')).files).toEqual(['deep-0.1.0.tgz']);
    expect(await indexExists(bucket, 'stable/')).toBe(false);
    expect(await indexExists(bucket, 'stable/nested/')).toBe(false);
    const odd = (await readIndex(bucket, 'stable/My Apps/')).entries.find((e) => e.name === 'odd');
    expect(odd?.version).toBe('1.0.0+build.1');
    expect(odd?.urls[0]).not.toContain('+'); // a literal + is percent-encoded in urls, as Helm writes it
  });

  test('deletes drop entries; late, reordered and replayed events converge to what S3 holds', async () => {
    const bucket = await newBucket();
    const keys = ['stable/a-1.0.0.tgz', 'stable/b-1.0.0.tgz', 'stable/c-1.0.0.tgz'];
    for (const key of keys) await publish(bucket, key, smallChartArchive({ name: key.slice(7, 8), version: '1.0.0' }));
    const created = keys.map((key) => s3Event(bucket, [key], 'ObjectCreated:Put'));
    expect(await handler(sqsOf(created))).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['a-1.0.0.tgz', 'b-1.0.0.tgz', 'c-1.0.0.tgz']);

    await remove(bucket, 'stable/a-1.0.0.tgz');
    const removedA = s3Event(bucket, ['stable/a-1.0.0.tgz'], 'ObjectRemoved:Delete');
    expect(await handler(sqsOf([removedA]))).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['b-1.0.0.tgz', 'c-1.0.0.tgz']);

    // A stale "created" for a deleted object, and a "removed" for an object that is back: S3 wins.
    await remove(bucket, 'stable/b-1.0.0.tgz');
    await publish(bucket, 'stable/a-1.0.0.tgz', smallChartArchive({ name: 'a', version: '1.0.0', salt: 'again' }));
    expect(await handler(sqsOf([created[1], removedA]))).toEqual({ batchItemFailures: [] });
    const settled = await readIndex(bucket, 'stable/');
    expect(settled.files).toEqual(['a-1.0.0.tgz', 'c-1.0.0.tgz']);

    // Every event so far three times, shuffled: nothing to change; each batch rewrites the same entries.
    output.clear();
    const all = [...created, removedA, s3Event(bucket, ['stable/b-1.0.0.tgz'], 'ObjectRemoved:Delete')];
    const replay = shuffle([...all, ...all, ...all]);
    for (let i = 0; i < replay.length; i += 4) {
      expect(await handler(sqsOf(replay.slice(i, i + 4)))).toEqual({ batchItemFailures: [] });
    }
    const replayed = await readIndex(bucket, 'stable/');
    expect(replayed.entries).toEqual(settled.entries);
    expect(output.metrics()).toMatchObject({ ChartsIndexed: 0 });
  });

  test('a bad chart is skipped and reported; its neighbours are indexed; a bad re-upload removes the old entry', async () => {
    const bucket = await newBucket();
    await publish(bucket, 'stable/good-1.0.0.tgz', smallChartArchive({ name: 'good', version: '1.0.0' }));
    await publish(bucket, 'stable/bad-1.0.0.tgz', notAChart());
    await publish(bucket, 'stable/fine-2.0.0.tgz', smallChartArchive({ name: 'fine', version: '2.0.0' }));
    const event = sqsEvent(bucket, ['stable/good-1.0.0.tgz', 'stable/bad-1.0.0.tgz', 'stable/fine-2.0.0.tgz']);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['fine-2.0.0.tgz', 'good-1.0.0.tgz']);
    expect(output.metrics()).toMatchObject({ ChartsRejected: 1, ChartsIndexed: 2, IndexWrites: 1 });
    const [rejected] = output.logs(/^chart rejected/);
    expect(rejected).toMatchObject({ level: 'WARN', key: 'stable/bad-1.0.0.tgz', bucket });
    expect(String(rejected.error)).toContain('bad-1.0.0.tgz');

    output.clear();
    await publish(bucket, 'stable/good-1.0.0.tgz', Buffer.from('this is not a gzip stream'));
    expect(await handler(sqsEvent(bucket, ['stable/good-1.0.0.tgz']))).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['fine-2.0.0.tgz']);
    expect(output.logs(/previous index entry was removed/)).toHaveLength(1);
  });

  test('20 concurrent invocations on one prefix: all 20 charts indexed, conflicts resolved by re-reading', async () => {
    const bucket = await newBucket();
    const keys = Array.from({ length: 20 }, (_, i) => `stable/chart${i}-1.0.${i}.tgz`);
    await Promise.all(
      keys.map((key, i) => publish(bucket, key, smallChartArchive({ name: `chart${i}`, version: `1.0.${i}` }))),
    );
    const started = Date.now();
    const results = await Promise.all(keys.map((key) => handler(sqsEvent(bucket, [key]))));
    const elapsedMs = Date.now() - started;
    expect(results).toEqual(keys.map(() => ({ batchItemFailures: [] })));
    expect((await readIndex(bucket, 'stable/')).files).toEqual(keys.map((key) => key.slice(7)).sort());
    const metrics = output.metrics();
    const requests = output.s3Requests();
    output.print(
      `indexer concurrency: 20 invocations, ${metrics.IndexWrites} index writes, ${metrics.IndexWriteConflicts} conflicts, ` +
        `S3 requests ${JSON.stringify(requests)}, ${elapsedMs} ms\n`,
    );
    expect(metrics.IndexWrites).toBe(20);
    expect(metrics.IndexWriteConflicts).toBeGreaterThan(0);
    expect(requests.indexWrites).toBe(20 + metrics.IndexWriteConflicts);
  });

  test('failure isolation: only the messages of the repository that failed are reported', async () => {
    const bucket = await newBucket();
    await publish(bucket, 'stable/ok-1.0.0.tgz', smallChartArchive({ name: 'ok', version: '1.0.0' }));
    const event = sqsOf([
      s3Event(bucket, ['stable/ok-1.0.0.tgz']),
      s3Event('no-such-bucket-here', ['stable/x-1.0.0.tgz']),
      'this body is not JSON',
    ]);
    const ids = event.Records.map((r) => r.messageId as string);
    const result = (await handler(event)) as { batchItemFailures: { itemIdentifier: string }[] };
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([ids[1], ids[2]].sort());
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['ok-1.0.0.tgz']);
    expect(output.logs('repository not updated; its messages are reported failed and will be retried')).toHaveLength(1);
  });

  test('REPOSITORY_PREFIXES restricts which folders are indexed', async () => {
    const bucket = await newBucket();
    process.env.REPOSITORY_PREFIXES = 'stable';
    for (const key of ['stable/in-1.0.0.tgz', 'stable/team/deep-1.0.0.tgz', 'private/out-1.0.0.tgz']) {
      await publish(
        bucket,
        key,
        smallChartArchive({
          name: key.includes('in-') ? 'in' : key.includes('deep') ? 'deep' : 'out',
          version: '1.0.0',
        }),
      );
    }
    expect(
      await handler(s3Event(bucket, ['stable/in-1.0.0.tgz', 'stable/team/deep-1.0.0.tgz', 'private/out-1.0.0.tgz'])),
    ).toEqual({
      repositories: 2,
      failedRepositories: 0,
    });
    expect((await readIndex(bucket, 'stable/')).files).toEqual(['in-1.0.0.tgz']);
    expect((await readIndex(bucket, 'stable/team/')).files).toEqual(['deep-1.0.0.tgz']);
    expect(await indexExists(bucket, 'private/')).toBe(false);
  });

  test('INDEX_FORMAT=json writes JSON into index.yaml with a JSON content type', async () => {
    const bucket = await newBucket();
    process.env.INDEX_FORMAT = 'json';
    await publish(bucket, 'repo/j-1.0.0.tgz', smallChartArchive({ name: 'j', version: '1.0.0' }));
    await handler(sqsEvent(bucket, ['repo/j-1.0.0.tgz']));
    const index = await readIndex(bucket, 'repo/');
    expect(index.contentType).toBe('application/json');
    expect(JSON.parse(index.text).entries.j[0].version).toBe('1.0.0');
  });

  test('reindex keeps unchanged entries unread, reads new and changed archives, drops vanished ones', async () => {
    const bucket = await newBucket();
    const initial = ['keep1', 'keep2', 'keep3', 'gone1', 'gone2', 'changed'];
    for (const name of initial)
      await publish(bucket, `stable/${name}-1.0.0.tgz`, smallChartArchive({ name, version: '1.0.0' }));
    await handler(
      sqsEvent(
        bucket,
        initial.map((name) => `stable/${name}-1.0.0.tgz`),
      ),
    );
    // Out of band (no events): new charts, deletions, a re-upload with new bytes a second later.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const name of ['new1', 'new2', 'new3'])
      await publish(bucket, `stable/${name}-1.0.0.tgz`, smallChartArchive({ name, version: '1.0.0' }));
    await remove(bucket, 'stable/gone1-1.0.0.tgz');
    await remove(bucket, 'stable/gone2-1.0.0.tgz');
    const changed = smallChartArchive({ name: 'changed', version: '1.0.0', salt: 'v2' });
    await publish(bucket, 'stable/changed-1.0.0.tgz', changed);
    await publish(bucket, 'stable/sub/nested-0.1.0.tgz', smallChartArchive({ name: 'nested', version: '0.1.0' }));

    output.clear();
    const summary = await handler({ action: 'reindex', bucket, prefix: 'stable' });
    expect(summary).toMatchObject({ kept: 3, read: 5, removed: 2, failed: [] });
    const index = await readIndex(bucket, 'stable/');
    expect(index.files).toEqual([
      'changed-1.0.0.tgz',
      'keep1-1.0.0.tgz',
      'keep2-1.0.0.tgz',
      'keep3-1.0.0.tgz',
      'new1-1.0.0.tgz',
      'new2-1.0.0.tgz',
      'new3-1.0.0.tgz',
    ]);
    expect(index.entries.find((e) => e.name === 'changed')?.digest).toBe(
      createHash('sha256').update(changed).digest('hex'),
    );
    expect((await readIndex(bucket, 'stable/sub/')).files).toEqual(['nested-0.1.0.tgz']);
    // 3 new + 1 changed in stable/, 1 in stable/sub/; the 3 unchanged are not read.
    expect(output.s3Requests()).toMatchObject({ chartReads: 5, indexWrites: 2 });

    output.clear();
    expect(await handler({ action: 'reindex', bucket, prefix: 'stable' })).toMatchObject({
      kept: 8,
      read: 0,
      removed: 0,
      written: 0,
    });
    expect(output.s3Requests()).toMatchObject({ chartReads: 0, indexWrites: 0 });

    output.clear();
    expect(await handler({ action: 'reindex', bucket, deep: true })).toMatchObject({ kept: 0, read: 8, written: 0 });
    expect(output.s3Requests()).toMatchObject({ chartReads: 8, indexWrites: 0 });
  });

  test('an unreadable index is rebuilt from the folder listing, by the event path and by reindex', async () => {
    const bucket = await newBucket();
    await publish(bucket, 'broken/index.yaml', Buffer.from('entries: [this is: not: an index'));
    await publish(bucket, 'broken/x-1.0.0.tgz', smallChartArchive({ name: 'x', version: '1.0.0' }));
    await publish(bucket, 'broken/y-1.0.0.tgz', smallChartArchive({ name: 'y', version: '1.0.0' }));
    // The event names only x; the rebuild lists the folder and also indexes y.
    expect(await handler(sqsEvent(bucket, ['broken/x-1.0.0.tgz']))).toEqual({ batchItemFailures: [] });
    expect((await readIndex(bucket, 'broken/')).files).toEqual(['x-1.0.0.tgz', 'y-1.0.0.tgz']);
    const [warning] = output.logs('index unreadable; rebuilding this repository from the charts in the bucket');
    expect(String(warning.reason)).toMatch(/broken\/index.yaml is not a readable Helm repository index/);

    await publish(bucket, 'broken/index.yaml', Buffer.from('{"this is": "JSON, but not an index"}'));
    await handler({ action: 'reindex', bucket, prefix: 'broken/' });
    expect((await readIndex(bucket, 'broken/')).files).toEqual(['x-1.0.0.tgz', 'y-1.0.0.tgz']);
  });
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
