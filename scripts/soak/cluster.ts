/** A fresh radosgw with one publicly readable bucket, and the bundled handler, for soak runs. */
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRadosgw, type Radosgw } from '../../test/support/radosgw';

export const projectRoot = join(__dirname, '..', '..');
export const bundlePath = join(projectRoot, 'dist', 'bundle', 'indexer', 'index.js');

/** The bundled handler: `explicit` as given, or dist/bundle/indexer/index.js, built (esbuild only) when missing. */
export function ensureBundle(explicit?: string): string {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new Error(`--bundle ${explicit} does not exist`);
    return resolve(explicit);
  }
  if (!existsSync(bundlePath)) {
    process.stderr.write(`${bundlePath} is missing; running node scripts/bundle.mjs\n`);
    execFileSync('node', ['scripts/bundle.mjs'], { cwd: projectRoot, stdio: 'inherit' });
  }
  if (!existsSync(bundlePath)) {
    throw new Error(`${bundlePath} does not exist after bundling: is lambda/indexer/handler.ts in scripts/bundle.mjs?`);
  }
  return bundlePath;
}

export function s3Client(rgw: Radosgw, endpoint = rgw.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    maxAttempts: 5,
  });
}

export interface SoakCluster {
  readonly rgw: Radosgw;
  readonly s3: S3Client;
  readonly bucket: string;
  close(): Promise<void>;
}

/**
 * Readable anonymously over HTTP (as helm reads it). NOT versioned: radosgw 16.2.15 breaks conditional PUTs on
 * versioned (and suspended) buckets: If-Match always answers 412, and If-None-Match: * succeeds on an existing
 * key (measured here). The index history comes from the harness's proxy instead, which sees every index PUT.
 */
export async function startSoakCluster(bucket = 'charts'): Promise<SoakCluster> {
  const rgw = await startRadosgw();
  const s3 = s3Client(rgw);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  } catch (error) {
    s3.destroy();
    await rgw.stop();
    throw error;
  }
  return {
    rgw,
    s3,
    bucket,
    async close() {
      s3.destroy();
      await rgw.stop();
    },
  };
}
