/**
 * Rewrites a radosgw bucket-notification record into the exact shape AWS S3 sends (what S3 puts in an SQS
 * message body, then in a Lambda SQS event), so the handler under test sees production input.
 *
 * radosgw 16.2 differs from AWS (shared/REAL-S3.md, gotcha 5): eventSource "ceph:s3", eventVersion "2.2",
 * awsRegion "", a raw UTF-8 key, a sequencer that does not sort, extra `metadata`/`tags`/`id`/`eventId`/
 * `opaqueData` fields, and size/eTag on deletes.
 */
import { createHash } from 'node:crypto';
import { encodeS3Key } from '../../lambda/indexer/events';

/** The fields of a radosgw record this module reads (the rest is dropped). */
export interface RadosgwRecord {
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity?: { readonly principalId?: string };
  readonly responseElements?: Record<string, string>;
  readonly s3: {
    readonly configurationId?: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity?: { readonly principalId?: string } };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer?: string;
    };
  };
}

export interface AwsS3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

/** AWS sequencers are upper-case hex that sort (per key) in event order; `order` is the receive order. */
export function awsSequencer(order: number): string {
  return order.toString(16).toUpperCase().padStart(18, '0');
}

/** AWS request ids are 16 upper-case hex digits; derived from radosgw's (a longer dotted id) to stay traceable. */
function awsRequestId(radosgwId: string): string {
  return createHash('md5').update(radosgwId).digest('hex').slice(0, 16).toUpperCase();
}

/** radosgw prefixes nothing; AWS event names never carry the `s3:` prefix either. Kept defensive. */
function awsEventName(name: string): string {
  return name.replace(/^s3:/, '');
}

/**
 * `2026-11-27T07:25:58.348095Z` (radosgw, microseconds) -> `2026-11-27T07:25:58.348Z` (AWS, milliseconds).
 * radosgw sometimes sends `"0.000000"`; pushes are synchronous, so the receive time is then the best stand-in.
 */
function awsEventTime(time: string, receivedAt: Date): string {
  const parsed = /^\d{4}-\d\d-\d\dT/.test(time) ? new Date(time) : receivedAt;
  return (Number.isNaN(parsed.getTime()) ? receivedAt : parsed).toISOString();
}

export interface RewriteOptions {
  /** The region AWS would name (radosgw sends ""). */
  readonly region: string;
  /** Receive order of this record (makes the sequencer). */
  readonly order: number;
  /** When the push arrived; the eventTime when radosgw sends none. Default now. */
  readonly receivedAt?: Date;
}

/**
 * One radosgw record -> one AWS record. Deletes carry no size/eTag (AWS omits them); versionId appears only
 * when radosgw has one (AWS omits it on unversioned buckets and on plain deletes there).
 */
export function toAwsRecord(record: RadosgwRecord, options: RewriteOptions): AwsS3EventRecord {
  const { bucket, object } = record.s3;
  if (typeof object?.key !== 'string' || typeof bucket?.name !== 'string') {
    throw new Error(`radosgw record: expected s3.bucket.name and s3.object.key, received ${JSON.stringify(record)}`);
  }
  const eventName = awsEventName(record.eventName);
  const removed = eventName.startsWith('ObjectRemoved:');
  // Built in AWS's key order: key, size, eTag, versionId, sequencer.
  const awsObject: AwsS3EventRecord['s3']['object'] = {
    key: encodeS3Key(object.key),
    ...(removed ? {} : { size: object.size ?? 0 }),
    ...(removed || !object.eTag ? {} : { eTag: object.eTag.replace(/"/g, '') }),
    ...(object.versionId ? { versionId: object.versionId } : {}),
    sequencer: awsSequencer(options.order),
  };
  const owner = bucket.ownerIdentity?.principalId || 'A3NL1KOZZKEXAMPLE';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: options.region,
    eventTime: awsEventTime(record.eventTime, options.receivedAt ?? new Date()),
    eventName,
    userIdentity: { principalId: `AWS:${record.userIdentity?.principalId || 'EXAMPLE'}` },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': awsRequestId(record.responseElements?.['x-amz-request-id'] ?? eventName),
      'x-amz-id-2': record.responseElements?.['x-amz-id-2'] || 'EXAMPLE/ID2',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: record.s3.configurationId || 'harness',
      bucket: { name: bucket.name, ownerIdentity: { principalId: owner }, arn: `arn:aws:s3:::${bucket.name}` },
      object: awsObject,
    },
  };
}

/** An SQS message as Lambda receives it in `event.Records[]` (S3 -> SQS -> Lambda event source mapping). */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
  };
  messageAttributes: Record<string, never>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** The body S3 writes to SQS: one notification document with exactly one record. */
export function s3NotificationBody(record: AwsS3EventRecord): string {
  return JSON.stringify({ Records: [record] });
}
