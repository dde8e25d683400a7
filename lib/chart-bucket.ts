import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** How a bucket created by the construct is encrypted at rest. */
export enum RepositoryEncryption {
  /** SSE-S3: S3-managed keys, no KMS cost, readable by CloudFront through Origin Access Control. */
  S3_MANAGED = 'S3_MANAGED',
  /**
   * SSE-KMS with a customer-managed key (created with rotation on, or `encryptionKey`). The key policy lets
   * CloudFront decrypt for the distribution; clients granted access get the matching KMS grants.
   */
  KMS = 'KMS',
}

/** What the construct needs to create the chart bucket. */
export interface ChartBucketOptions {
  readonly encryption: RepositoryEncryption;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly noncurrentVersionExpiration: Duration;
  readonly accessLogsBucket?: s3.IBucket;
}

/** The created bucket and the key that encrypts it, if any. */
export interface ChartBucketResources {
  readonly bucket: s3.Bucket;
  readonly encryptionKey?: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
}

/** Server access logs of the chart bucket are kept this long in a log bucket the construct creates. */
export const ACCESS_LOG_RETENTION = Duration.days(365);

/**
 * The chart bucket: private (all public access blocked, reachable only through IAM and CloudFront's Origin
 * Access Control), TLS 1.2+ only, encrypted, versioned (an overwritten or deleted chart can be recovered)
 * with noncurrent versions expired, ACLs disabled, retained on stack deletion by default, with server
 * access logs (every read and write, including those by CloudFront) in a separate bucket.
 */
export function createChartBucket(scope: Construct, options: ChartBucketOptions): ChartBucketResources {
  const encryptionKey =
    options.encryption === RepositoryEncryption.KMS
      ? (options.encryptionKey ??
        new kms.Key(scope, 'BucketKey', {
          description: 'Encrypts the Helm chart repository bucket',
          enableKeyRotation: true,
          removalPolicy: options.removalPolicy,
        }))
      : undefined;

  const accessLogsBucket = options.accessLogsBucket ?? createAccessLogsBucket(scope, options.removalPolicy);

  const bucket = new s3.Bucket(scope, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey,
    // One data key per bucket instead of one KMS call per object: cheaper, and fewer KMS throttles.
    bucketKeyEnabled: encryptionKey ? true : undefined,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      {
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: options.noncurrentVersionExpiration,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        expiredObjectDeleteMarker: true,
      },
    ],
    removalPolicy: options.removalPolicy,
  });
  enableServerAccessLogs(bucket, accessLogsBucket);
  return { bucket, encryptionKey, accessLogsBucket };
}

/** The folder of the log bucket that holds the chart bucket's access logs. */
export const ACCESS_LOG_PREFIX = 'chart-bucket/';

/**
 * Server access logging authorised by a bucket policy for the S3 logging service (the way AWS documents it
 * for buckets with ACLs disabled). Done here rather than through `serverAccessLogsBucket`, which falls back to
 * a LogDeliveryWrite ACL (impossible with BucketOwnerEnforced) unless the app sets a feature flag.
 */
function enableServerAccessLogs(bucket: s3.Bucket, logsBucket: s3.IBucket): void {
  logsBucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsForChartBucket',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logsBucket.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account },
      },
    }),
  );
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logsBucket.bucketName,
    logFilePrefix: ACCESS_LOG_PREFIX,
  };
}

/** S3 server access logs can only go to an SSE-S3 bucket; logs expire after ACCESS_LOG_RETENTION. */
function createAccessLogsBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  return new s3.Bucket(scope, 'AccessLogsBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
    removalPolicy,
  });
}
