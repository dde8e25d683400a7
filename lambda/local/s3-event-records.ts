/**
 * Turns a change in the local store into the S3 event notification record AWS would deliver, so the indexer
 * handler runs on the same input shape as in the cloud, including AWS's form-encoded keys.
 */
import { randomBytes } from 'node:crypto';
import { encodeS3Key } from '../indexer/events';
import type { StoreChange } from './object-store';

export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer: string;
    };
  };
}

let lastSequence = 0n;

/** Hex, strictly increasing within this process: S3 sequencers order events for the same key. */
function nextSequencer(now: Date): string {
  const candidate = BigInt(now.getTime()) * 1000n;
  lastSequence = candidate > lastSequence ? candidate : lastSequence + 1n;
  return lastSequence.toString(16).toUpperCase().padStart(16, '0');
}

export function eventRecord(bucket: string, change: StoreChange, now = new Date()): S3EventRecord {
  const key = change.kind === 'created' ? change.object.key : change.key;
  const object =
    change.kind === 'created'
      ? { key: encodeS3Key(key), size: change.object.size, eTag: change.object.etag, sequencer: nextSequencer(now) }
      : { key: encodeS3Key(key), sequencer: nextSequencer(now) };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: now.toISOString(),
    eventName: change.kind === 'created' ? `ObjectCreated:${change.createdBy}` : 'ObjectRemoved:Delete',
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(24).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'chart-repo-local',
      bucket: { name: bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${bucket}` },
      object,
    },
  };
}
