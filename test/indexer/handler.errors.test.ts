/**
 * Error paths that a real server will not produce on demand, with the SDK mocked (aws-sdk-client-mock patches
 * the S3Client the TypeScript handler imports; the bundle has its own SDK copy, so these tests load the source).
 * Everything else is tested against radosgw in handler.radosgw.test.ts.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { sqsEvent } from './aws-events';
import { HandlerOutput, type Handler } from './bundled-handler';
import { smallChartArchive } from '../support/chart-archive';

const s3 = mockClient(S3Client);
const output = new HandlerOutput();
let handler: Handler;
const bucket = 'charts';
const chartKey = 'stable/app-1.0.0.tgz';
const lastModified = new Date('2026-11-27T07:00:00Z');
let chart: Buffer;

/** What GetObject returns: a stream the engine can read, with the SDK's transformToString. */
function body(bytes: Buffer | string) {
  const buffer = Buffer.from(bytes);
  return Object.assign(Readable.from([buffer]), { transformToString: async () => buffer.toString('utf8') });
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

const emptyIndex = 'apiVersion: v1\nentries: {}\ngenerated: "2026-11-27T06:00:00Z"\n';

function serveIndex(...etags: string[]): void {
  const on = s3.on(GetObjectCommand, { Key: 'stable/index.yaml' });
  for (const etag of etags) on.resolvesOnce({ Body: body(emptyIndex) as never, ETag: `"${etag}"` });
}

/** The chart object, unchanged (GET and HEAD agree), unless `head` says otherwise. */
function serveChart(head?: () => unknown): void {
  s3.on(GetObjectCommand, { Key: chartKey }).callsFake(() => ({
    Body: body(chart),
    ETag: '"c0ffee"',
    LastModified: lastModified,
    ContentLength: chart.length,
  }));
  s3.on(HeadObjectCommand, { Key: chartKey }).callsFake(
    head ?? (() => ({ ETag: '"c0ffee"', LastModified: lastModified, ContentLength: chart.length })),
  );
}

function puts(): PutObjectCommandInput[] {
  return s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

beforeAll(async () => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  chart = smallChartArchive({ name: 'app', version: '1.0.0' });
  output.start();
  ({ handler } = (await import('../../lambda/indexer/handler')) as unknown as { handler: Handler });
});

afterAll(() => output.stop());

beforeEach(() => {
  s3.reset();
  output.clear();
  delete process.env.INDEX_WRITE_MAX_ATTEMPTS;
});

/** One SQS item for the chart: the handler reports it failed (SQS retries it) and writes no index. */
async function expectItemFailsWithoutWrite(): Promise<void> {
  const event = sqsEvent(bucket, [chartKey]);
  expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] });
  expect(puts()).toHaveLength(0);
}

test('a 500 while reading a chart aborts the prefix: the item fails and no index is written', async () => {
  serveIndex('idx1');
  s3.on(GetObjectCommand, { Key: chartKey }).rejects(s3Error('InternalError', 500));
  await expectItemFailsWithoutWrite();
});

test('a 403 on a chart is an error, not "absent": nothing is removed from the index', async () => {
  serveIndex('idx1');
  s3.on(GetObjectCommand, { Key: chartKey }).rejects(s3Error('AccessDenied', 403));
  await expectItemFailsWithoutWrite();
});

test('a 503 reading the index fails the item without writing', async () => {
  s3.on(GetObjectCommand, { Key: 'stable/index.yaml' }).rejects(s3Error('SlowDown', 503));
  serveChart();
  await expectItemFailsWithoutWrite();
});

test('412 twice, then success: each attempt re-reads the index and writes If-Match its unquoted ETag', async () => {
  serveIndex('idx1', 'idx2', 'idx3');
  serveChart();
  s3.on(PutObjectCommand)
    .rejectsOnce(s3Error('PreconditionFailed', 412))
    .rejectsOnce(s3Error('PreconditionFailed', 412))
    .resolves({ ETag: '"idx4"' });
  expect(await handler(sqsEvent(bucket, [chartKey]))).toEqual({ batchItemFailures: [] });
  expect(puts().map((put) => put.IfMatch)).toEqual(['idx1', 'idx2', 'idx3']);
  expect(puts().every((put) => put.IfNoneMatch === undefined)).toBe(true);
  // The chart is read once; retries only check with HEAD that it is still the same object.
  expect(s3.commandCalls(GetObjectCommand, { Key: chartKey })).toHaveLength(1);
  expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(2);
  const written = String(puts()[2].Body);
  expect(written).toContain('app-1.0.0.tgz');
  expect(puts()[2]).toMatchObject({ ContentType: 'application/yaml', CacheControl: 'no-cache' });
  expect(output.metrics()).toMatchObject({ IndexWriteConflicts: 2, IndexWrites: 1, ChartsIndexed: 1 });
});

test('409 ConditionalRequestConflict and a 404 for an index deleted meanwhile are conflicts too', async () => {
  const getIndex = s3.on(GetObjectCommand, { Key: 'stable/index.yaml' });
  getIndex
    .resolvesOnce({ Body: body(emptyIndex) as never, ETag: '"idx1"' })
    .resolvesOnce({ Body: body(emptyIndex) as never, ETag: '"idx2"' })
    .rejectsOnce(s3Error('NoSuchKey', 404));
  serveChart();
  s3.on(PutObjectCommand)
    .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
    .rejectsOnce(s3Error('NoSuchKey', 404))
    .resolves({ ETag: '"new"' });
  expect(await handler(sqsEvent(bucket, [chartKey]))).toEqual({ batchItemFailures: [] });
  expect(puts().map((put) => [put.IfMatch, put.IfNoneMatch])).toEqual([
    ['idx1', undefined],
    ['idx2', undefined],
    [undefined, '*'],
  ]);
});

test('a chart that changed between attempts is read again, one that vanished is dropped', async () => {
  serveIndex('idx1', 'idx2');
  serveChart(() => ({
    ETag: '"changed"',
    LastModified: new Date('2026-11-27T07:00:05Z'),
    ContentLength: chart.length,
  }));
  s3.on(PutObjectCommand).rejectsOnce(s3Error('PreconditionFailed', 412)).resolves({});
  expect(await handler(sqsEvent(bucket, [chartKey]))).toEqual({ batchItemFailures: [] });
  expect(s3.commandCalls(GetObjectCommand, { Key: chartKey })).toHaveLength(2);

  s3.reset();
  serveIndex('idx1', 'idx2');
  serveChart(() => {
    throw s3Error('NotFound', 404);
  });
  s3.on(PutObjectCommand).rejectsOnce(s3Error('PreconditionFailed', 412)).resolves({});
  expect(await handler(sqsEvent(bucket, [chartKey]))).toEqual({ batchItemFailures: [] });
  // The second attempt saw the chart gone; the (empty) index had nothing to drop, and it is still written, on the
  // fresh ETag, so that no writer holding the older observation can publish the vanished chart.
  expect(puts().map((put) => [put.IfMatch, String(put.Body).includes('app-1.0.0.tgz')])).toEqual([
    ['idx1', true],
    ['idx2', false],
  ]);
});

test('conflicts without end give up after INDEX_WRITE_MAX_ATTEMPTS and fail the item', async () => {
  process.env.INDEX_WRITE_MAX_ATTEMPTS = '3';
  serveIndex('a', 'b', 'c');
  serveChart();
  s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
  const event = sqsEvent(bucket, [chartKey]);
  expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] });
  expect(puts()).toHaveLength(3);
  expect(
    JSON.stringify(output.logs('repository not updated; its messages are reported failed and will be retried')),
  ).toContain('3 conditional writes in a row lost to concurrent writers');
});

test('a direct S3 event whose repository fails throws, so Lambda retries the invocation', async () => {
  serveIndex('idx1');
  s3.on(GetObjectCommand, { Key: chartKey }).rejects(s3Error('InternalError', 500));
  const { Records } = sqsEvent(bucket, [chartKey]);
  await expect(handler(JSON.parse(String(Records[0].body)))).rejects.toThrow(
    /could not update s3:\/\/charts\/stable\//,
  );
});

test('reindex: a listing page that fails aborts the repository; a partial listing never drops entries', async () => {
  const indexed = [
    'apiVersion: v1',
    'entries:',
    '  app:',
    '    - apiVersion: v2',
    '      name: app',
    '      version: 1.0.0',
    '      urls: [app-1.0.0.tgz]',
    '      created: "2026-11-27T07:00:00Z"',
    `      digest: ${'a'.repeat(64)}`,
    'generated: "2026-11-27T07:00:00Z"',
    '',
  ].join('\n');
  s3.on(GetObjectCommand, { Key: 'stable/index.yaml' }).callsFake(() => ({ Body: body(indexed), ETag: '"idx1"' }));
  s3.on(ListObjectsV2Command)
    .resolvesOnce({ Contents: [], IsTruncated: true, NextContinuationToken: 'page2' })
    .rejectsOnce(s3Error('InternalError', 500));
  await expect(handler({ action: 'reindex', bucket, prefix: 'stable/' })).rejects.toThrow(
    /reindex of s3:\/\/charts failed for 1 repositories: stable\/: /,
  );
  expect(puts()).toHaveLength(0);
});

test('reindex without a bucket in the request or BUCKET_NAME says what is missing', async () => {
  delete process.env.BUCKET_NAME;
  await expect(handler({ action: 'reindex' })).rejects.toThrow(
    'reindex request names no bucket and BUCKET_NAME is not set; expected {"action":"reindex","bucket":"..."}',
  );
  expect(s3.calls()).toHaveLength(0);
});

test('no new write attempt starts within 5 s of the Lambda timeout: the item fails in time for SQS to retry it', async () => {
  serveIndex(...Array.from({ length: 30 }, (_, i) => `idx${i}`));
  serveChart();
  s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
  const event = sqsEvent(bucket, [chartKey]);
  const started = Date.now();
  const context = { getRemainingTimeInMillis: () => 5_300 - (Date.now() - started) };
  expect(await handler(event, context)).toEqual({
    batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }],
  });
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(puts().length).toBeLessThan(30);
});
