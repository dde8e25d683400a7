/**
 * The local S3 API driven by its real clients: AWS CLI v1 (cp, multipart, ls, mv, rm, conditional put-object)
 * and SDK v3 with default checksums (aws-chunked streaming uploads with a CRC32 trailer, as AWS CLI v2 sends).
 */
import { PutObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { listenLocal, type LocalHttpServer } from '../../lambda/local/listen';
import { FileObjectStore, type StoreChange } from '../../lambda/local/object-store';
import { createS3Api, type S3Api } from '../../lambda/local/s3-api';
import { awsCli } from '../support/tools';

const credentials = { accessKeyId: 'TESTKEY', secretAccessKey: 'test-secret' };
let dir: string;
let store: FileObjectStore;
let api: S3Api;
let server: LocalHttpServer;
const changes: StoreChange[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-s3-'));
  store = await FileObjectStore.open({
    dataDir: join(dir, 'data'),
    bucket: 'charts',
    onChange: (c) => changes.push(c),
  });
  api = createS3Api({ store, bucket: 'charts', credentials });
  server = await listenLocal('S3', 0, api.handle);
});

afterAll(async () => {
  await server.close();
  api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function aws(
  args: string[],
  secret = credentials.secretAccessKey,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: server.url,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(awsCli(), args, { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function sdk(): S3Client {
  return new S3Client({ endpoint: server.url, forcePathStyle: true, region: 'us-east-1', credentials });
}

describe('local S3 API with AWS CLI v1', () => {
  it('uploads, lists, downloads, copies, moves and deletes, with keys holding spaces and +', async () => {
    writeFileSync(join(dir, 'my chart+1.txt'), 'hello');
    expect((await aws(['s3', 'cp', 'my chart+1.txt', 's3://charts/stable/'])).code).toBe(0);
    expect(store.head('stable/my chart+1.txt')?.size).toBe(5);
    expect((await aws(['s3', 'ls', 's3://charts/stable/'])).stdout).toContain('my chart+1.txt');
    expect((await aws(['s3', 'cp', 's3://charts/stable/my chart+1.txt', 'back.txt'])).code).toBe(0);
    expect(readFileSync(join(dir, 'back.txt'), 'utf8')).toBe('hello');
    expect((await aws(['s3', 'mv', 's3://charts/stable/my chart+1.txt', 's3://charts/other/x y.txt'])).code).toBe(0);
    expect(store.head('stable/my chart+1.txt')).toBeUndefined();
    expect(store.head('other/x y.txt')?.size).toBe(5);
    expect((await aws(['s3', 'rm', '--recursive', 's3://charts/other/'])).code).toBe(0);
    expect(store.list().filter((o) => o.key.startsWith('other/'))).toEqual([]);
    expect(changes.map((c) => `${c.kind} ${c.kind === 'created' ? `${c.object.key} ${c.createdBy}` : c.key}`)).toEqual([
      'created stable/my chart+1.txt Put',
      'created other/x y.txt Copy',
      'removed stable/my chart+1.txt',
      'removed other/x y.txt',
    ]);
  });

  it('stores a multipart upload byte for byte, with an S3-style multipart ETag', async () => {
    const big = randomBytes(20 * 1024 * 1024);
    writeFileSync(join(dir, 'big.bin'), big);
    expect((await aws(['s3', 'cp', 'big.bin', 's3://charts/big/big.bin'])).code).toBe(0);
    const info = store.head('big/big.bin');
    expect(info?.etag).toMatch(/^[0-9a-f]{32}-3$/);
    expect(readFileSync(join(dir, 'data', 'charts', 'big', 'big.bin')).equals(big)).toBe(true);
    expect(changes.at(-1)).toMatchObject({ kind: 'created', createdBy: 'CompleteMultipartUpload' });
  });

  it('honours If-None-Match: * (412 once the key exists)', async () => {
    writeFileSync(join(dir, 'k.txt'), 'k');
    const put = [
      's3api',
      'put-object',
      '--bucket',
      'charts',
      '--key',
      'cond/k',
      '--body',
      'k.txt',
      '--if-none-match',
      '*',
    ];
    expect((await aws(put)).code).toBe(0);
    const second = await aws(put);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/PreconditionFailed/);
  });

  it('refuses a wrong secret key with SignatureDoesNotMatch', async () => {
    const result = await aws(['s3', 'ls', 's3://charts/'], 'wrong-secret');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/SignatureDoesNotMatch/);
  });

  it('serves presigned GET URLs made by aws s3 presign, and refuses them when tampered with', async () => {
    writeFileSync(join(dir, 'p.txt'), 'presigned');
    expect((await aws(['s3', 'cp', 'p.txt', 's3://charts/presign/p.txt'])).code).toBe(0);
    const url = (await aws(['s3', 'presign', 's3://charts/presign/p.txt'])).stdout.trim();
    const response = await fetch(url);
    expect([response.status, await response.text()]).toEqual([200, 'presigned']);
    expect((await fetch(url.replace('p.txt', 'q.txt'))).status).toBe(403);
  });

  it('names the one bucket it holds when asked for another', async () => {
    const result = await aws(['s3', 'ls', 's3://nope/']);
    expect(result.stderr).toMatch(/NoSuchBucket/);
  });
});

describe('local S3 API with SDK v3 defaults', () => {
  it('decodes aws-chunked streaming uploads with a CRC32 trailer instead of storing the framing', async () => {
    const body = Readable.from([Buffer.from('streamed '), Buffer.from('chart bytes')]);
    await sdk().send(new PutObjectCommand({ Bucket: 'charts', Key: 'stream/x.tgz', Body: body, ContentLength: 20 }));
    const got = await sdk().send(new GetObjectCommand({ Bucket: 'charts', Key: 'stream/x.tgz' }));
    expect(await got.Body?.transformToString()).toBe('streamed chart bytes');
  });

  it('answers If-Match with a stale ETag 412, and with the current one (unquoted, as the indexer sends) 200', async () => {
    const first = await sdk().send(new PutObjectCommand({ Bucket: 'charts', Key: 'cond/index.yaml', Body: 'a' }));
    const etag = (first.ETag ?? '').replace(/"/g, '');
    await sdk().send(new PutObjectCommand({ Bucket: 'charts', Key: 'cond/index.yaml', Body: 'b', IfMatch: etag }));
    await expect(
      sdk().send(new PutObjectCommand({ Bucket: 'charts', Key: 'cond/index.yaml', Body: 'c', IfMatch: etag })),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
  });

  it('rejects bytes whose checksum does not match what the client declared (BadDigest), keeping nothing', async () => {
    await expect(
      sdk().send(
        new PutObjectCommand({ Bucket: 'charts', Key: 'bad/x.tgz', Body: 'hello', ChecksumCRC32: 'AAAAAA==' }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    expect(store.head('bad/x.tgz')).toBeUndefined();
  });

  it('refuses anonymous requests', async () => {
    const response = await rawPut('/charts/anon/x.tgz', 'x', {});
    expect(response.code).toBe(403);
    expect(response.text).toMatch(/anonymous requests are refused/);
    expect(store.head('anon/x.tgz')).toBeUndefined();
  });
});

function rawPut(path: string, body: string, headers: Record<string, string>): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'PUT', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
