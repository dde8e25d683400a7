import { Annotations, Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RepositoryAccess } from './access-mode';
import { IndexerAlarms } from './alarms';
import { createChartBucket, RepositoryEncryption } from './chart-bucket';
import {
  createEc2Client,
  createEksClientRole,
  grantClient,
  grantRepositoryPublish,
  grantRepositoryRead,
  type ClientOptions,
  type Ec2Client,
  type EksClientOptions,
  EksClientKind,
} from './clients';
import { RepositoryDistribution, type RepositoryDomain } from './distribution';
import { ChartIndexer, IndexFormat } from './indexer';
import { validateRepositoryProps } from './props-validation';
import { validateKubernetesName, validatePrefix, validatePrefixes } from './validation';

/** Properties of a `HelmChartRepository`. Every one is optional: `new HelmChartRepository(this, 'Charts')` works. */
export interface HelmChartRepositoryProps {
  /**
   * A bucket to serve and index instead of creating one. Charts already in it are indexed on the first
   * deployment. Its encryption, versioning and logging stay as they are. For a bucket imported from outside
   * the app, CDK cannot change its policies: add the CloudFront Origin Access Control statement (s3:GetObject for
   * cloudfront.amazonaws.com, AWS:SourceArn = the distribution) to its bucket policy, and for an imported KMS key
   * kms:Decrypt for cloudfront.amazonaws.com to its key policy, yourself.
   *
   * @default - a new private, versioned, encrypted bucket
   */
  readonly bucket?: s3.IBucket;

  /**
   * How a created bucket is encrypted. Not allowed with `bucket` (pass `encryptionKey` instead).
   *
   * @default - RepositoryEncryption.KMS when `encryptionKey` is given, else RepositoryEncryption.S3_MANAGED
   */
  readonly encryption?: RepositoryEncryption;

  /**
   * The KMS key of the bucket: for a created bucket, the key to encrypt it with; for a brought bucket, the key
   * it is encrypted with (clients, the indexer and CloudFront get the KMS permissions they need).
   *
   * @default - a new key with rotation on when `encryption` is KMS; no key otherwise
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to a created bucket (and its key and access-log bucket) when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long overwritten or deleted chart versions are kept before S3 expires them (created bucket only).
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * Where the created bucket's S3 server access logs go (created bucket only).
   *
   * @default - a new log bucket, logs kept 365 days
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The only folders whose charts are indexed, such as `['stable/', 'incubator/']`. Each covers its subfolders.
   *
   * @default - every folder of the bucket that holds charts is a repository
   */
  readonly repositoryPrefixes?: string[];

  /**
   * What the indexer writes into `index.yaml`.
   *
   * @default IndexFormat.YAML
   */
  readonly indexFormat?: IndexFormat;

  /**
   * Write absolute chart URLs (`https://DOMAIN/stable/x-1.0.0.tgz`) into index files instead of Helm's default
   * relative ones, for indexes that are copied or mirrored elsewhere. Needs CloudFront (not IAM only).
   *
   * @default false
   */
  readonly absoluteChartUrls?: boolean;

  /**
   * How consumers reach the repository.
   *
   * @default RepositoryAccess.public()
   */
  readonly access?: RepositoryAccess;

  /**
   * A custom domain for the distribution.
   *
   * @default - the distribution's `*.cloudfront.net` domain
   */
  readonly domain?: RepositoryDomain;

  /**
   * The ARN of a WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) to attach to the distribution.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * Which edge locations serve the repository.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * A bucket for CloudFront standard access logs (it must allow ACLs, as CloudFront's legacy logging requires).
   *
   * @default - no CloudFront access logs (S3 server access logs still record every origin request)
   */
  readonly distributionLogBucket?: s3.IBucket;

  /**
   * When every repository is reconciled with the bucket (missed events, manual changes).
   *
   * @default events.Schedule.rate(Duration.days(1))
   */
  readonly reindexSchedule?: events.Schedule;

  /**
   * Memory of the indexer function. 1 GiB holds a 10,000-version index several times over (parsing and
   * writing a 5 MB index peaks near 200 MiB) and buys ~0.6 vCPU, which keeps such a merge near 2 s.
   *
   * @default Size.mebibytes(1024)
   */
  readonly indexerMemorySize?: Size;

  /**
   * Timeout of the indexer function; the queue's visibility timeout is six times this.
   *
   * @default Duration.minutes(5)
   */
  readonly indexerTimeout?: Duration;

  /**
   * How many times a notification is received before it moves to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Retention of the indexer's log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Where alarms (dead-letter messages, indexer errors, rejected charts) send ALARM and OK notifications.
   *
   * @default - the alarms are created without actions
   */
  readonly alarmTopic?: sns.ITopic;
}

const OWNER = 'HelmChartRepository';

/**
 * A Helm chart repository with no servers: an S3 bucket, an S3-event-driven indexer that keeps each folder's
 * `index.yaml` right, and (unless IAM only) a CloudFront distribution serving it over HTTPS.
 *
 * @example
 * const charts = new HelmChartRepository(this, 'Charts');
 * charts.grantPublish(ciRole, 'stable/');
 * new CfnOutput(this, 'RepositoryUrl', { value: charts.repositoryUrl('stable/') });
 */
export class HelmChartRepository extends Construct {
  /** The bucket holding charts and index files. */
  public readonly bucket: s3.IBucket;
  /** The KMS key encrypting the bucket, when SSE-KMS is used. */
  public readonly encryptionKey?: kms.IKey;
  /** The bucket receiving the chart bucket's S3 server access logs, when the bucket was created here. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The CloudFront distribution; undefined for `RepositoryAccess.iamOnly()`. */
  public readonly distribution?: cloudfront.Distribution;
  /** The KeyValueStore holding the basic-auth users, for `RepositoryAccess.basicAuth()`. */
  public readonly keyValueStore?: cloudfront.IKeyValueStore;
  /** The function that rebuilds index files. */
  public readonly indexerFunction: lambda.Function;
  /** The queue of S3 notifications the indexer consumes. */
  public readonly queue: sqs.Queue;
  /** Notifications that failed `maxReceiveCount` times, and failed scheduled reindex deliveries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The alarms on the indexer. */
  public readonly alarms: IndexerAlarms;
  /** The access mode. */
  public readonly access: RepositoryAccess;
  /** The custom domain name, if any. */
  public readonly domainName?: string;
  /** The allowed repository prefixes; undefined means every folder. */
  public readonly repositoryPrefixes?: string[];

  constructor(scope: Construct, id: string, props: HelmChartRepositoryProps = {}) {
    super(scope, id);
    validateRepositoryProps(props);
    this.access = props.access ?? RepositoryAccess.public();
    this.repositoryPrefixes = props.repositoryPrefixes;
    this.domainName = props.domain?.domainName;

    if (props.bucket) {
      this.bucket = props.bucket;
      this.encryptionKey = props.encryptionKey ?? props.bucket.encryptionKey;
    } else {
      const created = createChartBucket(this, {
        encryption:
          props.encryption ?? (props.encryptionKey ? RepositoryEncryption.KMS : RepositoryEncryption.S3_MANAGED),
        encryptionKey: props.encryptionKey,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
        noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
        accessLogsBucket: props.accessLogsBucket,
      });
      this.bucket = created.bucket;
      this.encryptionKey = created.encryptionKey;
      this.accessLogsBucket = created.accessLogsBucket;
    }

    const indexer = new ChartIndexer(this, 'Indexer', {
      bucket: this.bucket,
      encryptionKey: this.encryptionKey,
      repositoryPrefixes: props.repositoryPrefixes,
      indexFormat: props.indexFormat ?? IndexFormat.YAML,
      memorySize: props.indexerMemorySize ?? Size.mebibytes(1024),
      timeout: props.indexerTimeout ?? Duration.minutes(5),
      maxReceiveCount: props.maxReceiveCount ?? 5,
      reindexSchedule: props.reindexSchedule ?? events.Schedule.rate(Duration.days(1)),
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });
    this.indexerFunction = indexer.function;
    this.queue = indexer.queue;
    this.deadLetterQueue = indexer.deadLetterQueue;

    if (this.access.servedByCloudFront) {
      if (this.encryptionKey) {
        Annotations.of(this).acknowledgeWarning(
          '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
          'The key policy admits CloudFront only for distributions of this account (kms:Decrypt, AWS:SourceArn ' +
            'distribution/*): naming the distribution would make key, bucket and distribution a dependency cycle.',
        );
      }
      const served = new RepositoryDistribution(this, 'Cdn', {
        bucket: this.bucket,
        // S3BucketOrigin adds the key policy for bucket.encryptionKey itself; a key passed separately needs ours.
        separateEncryptionKey:
          this.encryptionKey && this.encryptionKey !== this.bucket.encryptionKey ? this.encryptionKey : undefined,
        access: this.access,
        domain: props.domain,
        webAclArn: props.webAclArn,
        priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
        logBucket: props.distributionLogBucket,
      });
      this.distribution = served.distribution;
      this.keyValueStore = served.keyValueStore;
      // The handler joins the repository folder and file name to the URL serving the bucket root.
      if (props.absoluteChartUrls) this.indexerFunction.addEnvironment('BASE_URL', this.repositoryUrl());
    }

    this.alarms = new IndexerAlarms(this, 'Alarms', {
      indexerFunction: this.indexerFunction,
      deadLetterQueue: this.deadLetterQueue,
      metricsServiceName: indexer.metricsServiceName,
      topic: props.alarmTopic,
    });
  }

  /**
   * The URL for `helm repo add`: `https://DOMAIN/PREFIX` through CloudFront, or `s3://BUCKET/PREFIX` (for the
   * helm-s3 plugin) when IAM only.
   *
   * @param prefix a repository folder such as `stable/`; @default - the bucket root
   */
  public repositoryUrl(prefix?: string): string {
    if (prefix !== undefined) validatePrefix(OWNER, 'repositoryUrl(prefix)', prefix);
    const path = (prefix ?? '').replace(/\/$/, '');
    const base = this.distribution
      ? `https://${this.domainName ?? this.distribution.distributionDomainName}`
      : `s3://${this.bucket.bucketName}`;
    return path === '' ? base : `${base}/${path}`;
  }

  /**
   * Lets `grantee` read index files, charts and provenance files under `prefix` (and list its keys).
   *
   * @param prefix a repository folder such as `stable/`; @default - every repository
   */
  public grantRead(grantee: iam.IGrantable, prefix?: string): iam.Grant {
    this.validateClientPrefix('grantRead(prefix)', prefix);
    return grantRepositoryRead(this.storage(), grantee, prefix);
  }

  /**
   * Lets `grantee` upload and delete `*.tgz` and `*.prov` files under `prefix` (and list its keys). Never
   * index files: the indexer writes those. Combine with `grantRead` for tools that read the index first.
   *
   * @param prefix a repository folder such as `stable/`; @default - every repository
   */
  public grantPublish(grantee: iam.IGrantable, prefix?: string): iam.Grant {
    this.validateClientPrefix('grantPublish(prefix)', prefix);
    return grantRepositoryPublish(this.storage(), grantee, prefix);
  }

  /** A role for a Kubernetes service account on EKS (IRSA or EKS Pod Identity) that reads or publishes. */
  public addEksClient(id: string, options: EksClientOptions): iam.Role {
    const owner = `${OWNER}.addEksClient(${id})`;
    validateKubernetesName(owner, 'namespace', options.namespace, 'label');
    validateKubernetesName(owner, 'serviceAccount', options.serviceAccount, 'subdomain');
    if (options.kind === EksClientKind.IRSA && !options.openIdConnectProvider) {
      throw new Error(
        `${owner}: openIdConnectProvider is missing; expected the cluster's IAM OIDC provider for kind IRSA, received undefined`,
      );
    }
    if (options.kind === EksClientKind.POD_IDENTITY && !options.clusterName) {
      throw new Error(
        `${owner}: clusterName is missing; expected the EKS cluster name for kind POD_IDENTITY, received ${JSON.stringify(options.clusterName)}`,
      );
    }
    this.validateClientOptions(owner, options);
    const role = createEksClientRole(this, id, options);
    grantClient(this.storage(), role, options);
    return role;
  }

  /** A role and instance profile for EC2 instances that read or publish. */
  public addEc2Client(id: string, options: ClientOptions = {}): Ec2Client {
    this.validateClientOptions(`${OWNER}.addEc2Client(${id})`, options);
    const client = createEc2Client(this, id, options);
    grantClient(this.storage(), client.role, options);
    return client;
  }

  private storage() {
    return { bucket: this.bucket, encryptionKey: this.encryptionKey };
  }

  private validateClientOptions(owner: string, options: ClientOptions): void {
    validatePrefixes(owner, 'prefixes', options.prefixes);
    (options.prefixes ?? []).forEach((prefix, i) => this.validateClientPrefix(`prefixes[${i}]`, prefix, owner));
  }

  /** A client prefix must lie within an allowed repository, or its charts would never be indexed. */
  private validateClientPrefix(prop: string, prefix: string | undefined, owner: string = OWNER): void {
    if (prefix === undefined) return;
    validatePrefix(owner, prop, prefix);
    const allowed = this.repositoryPrefixes;
    if (allowed && !allowed.some((folder) => prefix.startsWith(folder))) {
      throw new Error(
        `${owner}: ${prop} is outside the indexed repositories; expected a folder within ${JSON.stringify(allowed)}, received ${JSON.stringify(prefix)}`,
      );
    }
  }
}
