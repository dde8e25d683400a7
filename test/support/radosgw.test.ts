import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithRadosgw, radosgwAvailable, Radosgw, startRadosgw } from './radosgw';

function client(rgw: Radosgw): S3Client {
  return new S3Client({
    endpoint: rgw.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });
}

function daemonPids(rgw: Radosgw): number[] {
  const run = join(rgw.base, 'run');
  return readdirSync(run)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => Number(readFileSync(join(run, f), 'utf8')));
}

describeWithRadosgw('radosgw test clusters', () => {
  let clusters: Radosgw[] = [];
  afterAll(() => Promise.all(clusters.map((c) => c.stop())));

  test('two clusters run side by side, enforce conditional writes, and stop by pid', async () => {
    clusters = await Promise.all([startRadosgw(), startRadosgw()]);
    const [a, b] = clusters;
    expect(a.endpoint).not.toBe(b.endpoint);

    for (const [i, rgw] of clusters.entries()) {
      const s3 = client(rgw);
      await s3.send(new CreateBucketCommand({ Bucket: 'charts' }));
      await s3.send(new PutObjectCommand({ Bucket: 'charts', Key: 'k', Body: `cluster ${i}`, IfNoneMatch: '*' }));
      const again = s3.send(new PutObjectCommand({ Bucket: 'charts', Key: 'k', Body: 'x', IfNoneMatch: '*' }));
      await expect(again).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: 'charts', Key: 'k' }))
      ).Body!.transformToString();
      expect(body).toBe(`cluster ${i}`); // each cluster holds its own data
      s3.destroy();
    }

    const pids = daemonPids(a);
    expect(pids).toHaveLength(3);
    await a.stop();
    for (const pid of pids) {
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      expect(cmdline).not.toContain(a.base);
    }
    expect(existsSync(a.base)).toBe(false);
    // b still serves after a stopped
    const s3 = client(b);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'charts', Key: 'k' }))).resolves.toBeDefined();
    s3.destroy();
  }, 90_000);

  test('an S3 error names its status', async () => {
    const s3 = client(clusters[1]);
    const error = await s3.send(new GetObjectCommand({ Bucket: 'charts', Key: 'missing' })).catch((e) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    s3.destroy();
  });
});

test('radosgwAvailable() is false when the binaries are not on PATH', () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    expect(radosgwAvailable()).toBe(false);
  } finally {
    process.env.PATH = path;
  }
});
