/**
 * The ObjectStore on the AWS SDK v3: the only file that talks to S3. Works against AWS, radosgw and s3rver:
 * the endpoint comes from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (the SDK reads them itself), path-style
 * addressing on request, and checksums only where S3 requires them (a streamed body with the default
 * checksums is sent aws-chunked, which radosgw Pacific answers with 411).
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { FolderPage, ObjectInfo, ObjectStore, TextObject, WriteTextOptions } from './object-store';

/** Client settings from the environment (read once, when the module loads). */
export function s3ClientConfig(env: NodeJS.ProcessEnv): S3ClientConfig {
  return {
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A connection that hangs (a dropped packet, a stuck proxy) fails and is retried by the SDK instead of
    // holding the invocation until the Lambda timeout.
    requestHandler: {
      connectionTimeout: 3_000,
      socketTimeout: positiveInt(env.S3_SOCKET_TIMEOUT_MS, 10_000),
    },
  };
}

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client) {}

  async readText(bucket: string, key: string): Promise<TextObject | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = (await response.Body?.transformToString('utf-8')) ?? '';
      return { text, etag: unquote(response.ETag, key) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async writeText(
    bucket: string,
    key: string,
    body: string,
    options: WriteTextOptions,
  ): Promise<'written' | 'conflict'> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          CacheControl: options.cacheControl,
          IfMatch: options.ifMatch,
          IfNoneMatch: options.ifNoneMatch,
        }),
      );
      return 'written';
    } catch (error) {
      const status = httpStatus(error);
      if (status === 412 || status === 409) return 'conflict';
      // If-Match on an index that was deleted meanwhile: AWS answers 404 NoSuchKey.
      if (status === 404 && options.ifMatch !== undefined && isNotFound(error)) return 'conflict';
      throw error;
    }
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        etag: unquote(response.ETag, key),
        lastModified: required(response.LastModified, 'LastModified', key),
        sizeBytes: response.ContentLength ?? 0,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read<T>(
    bucket: string,
    key: string,
    consume: (info: ObjectInfo, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T | undefined> {
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const body = response.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
    if (body === undefined) throw new Error(`GetObject s3://${bucket}/${key} returned no body`);
    try {
      const info: ObjectInfo = {
        key,
        etag: unquote(response.ETag, key),
        lastModified: required(response.LastModified, 'LastModified', key),
        sizeBytes: response.ContentLength ?? 0,
      };
      return await consume(info, body);
    } finally {
      // A rejected chart may stop reading early; free the socket instead of leaving it to the idle timeout.
      if (!body.readableEnded) body.destroy();
    }
  }

  async *listFolder(bucket: string, prefix: string): AsyncIterable<FolderPage> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
      );
      yield {
        objects: (page.Contents ?? []).map((object) => {
          const key = required(object.Key, 'Key', prefix);
          return {
            key,
            etag: unquote(object.ETag, key),
            lastModified: required(object.LastModified, 'LastModified', key),
            sizeBytes: object.Size ?? 0,
          };
        }),
        folders: (page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [p.Prefix])),
      };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
}

/** 404 for a missing key; a missing bucket is a configuration error and must not read as "absent". */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return httpStatus(error) === 404 && name !== 'NoSuchBucket';
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function unquote(etag: string | undefined, key: string): string {
  return required(etag, 'ETag', key).replace(/^"|"$/g, '');
}

function required<T>(value: T | undefined, field: string, key: string): T {
  if (value === undefined) throw new Error(`S3 returned no ${field} for ${key}`);
  return value;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
