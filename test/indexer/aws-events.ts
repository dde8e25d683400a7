/**
 * Lambda payloads shaped exactly as AWS delivers them (see fixtures/): S3 notification records with
 * form-encoded keys, wrapped in SQS messages for the deployed path.
 */
import { randomUUID } from 'node:crypto';
import { encodeS3Key } from '../../lambda/indexer/events';

export function s3Record(bucket: string, key: string, eventName = 'ObjectCreated:Put'): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName,
    userIdentity: { principalId: 'AWS:AROAEXAMPLE:publisher' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'EXAMPLE', 'x-amz-id-2': 'EXAMPLE' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'HelmChartRepositoryIndexer',
      bucket: { name: bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeS3Key(key),
        size: 1,
        eTag: '00000000000000000000000000000000',
        sequencer: '0055AED6DCD90281E5',
      },
    },
  };
}

export function s3Event(
  bucket: string,
  keys: readonly string[],
  eventName?: string,
): { Records: Record<string, unknown>[] } {
  return { Records: keys.map((key) => s3Record(bucket, key, eventName)) };
}

/** An SQS batch: one message per key (as S3 -> SQS delivers), each body one S3 notification. */
export function sqsEvent(
  bucket: string,
  keys: readonly string[],
  eventName?: string,
): { Records: Record<string, unknown>[] } {
  return sqsOf(keys.map((key) => s3Event(bucket, [key], eventName)));
}

export function sqsOf(bodies: readonly unknown[]): { Records: Record<string, unknown>[] } {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: 'AQEBexample',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'EXAMPLE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '00000000000000000000000000000000',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:indexer',
      awsRegion: 'us-east-1',
    })),
  };
}
