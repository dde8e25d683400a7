import { Annotations, Duration, Names, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag-acknowledgements';
import { indexerAssetDir } from './package-assets';

/** What the indexer writes into each repository's `index.yaml`. */
export enum IndexFormat {
  /** YAML, exactly as `helm repo index` writes it. */
  YAML = 'yaml',
  /** JSON in `index.yaml` (Helm detects it and parses it many times faster; same as `helm repo index --json`). */
  JSON = 'json',
}

/** The metric namespace and name the indexer emits (CloudWatch EMF) for every chart it rejects. */
export const INDEXER_METRICS_NAMESPACE = 'HelmChartRepository';
export const CHARTS_REJECTED_METRIC = 'ChartsRejected';

/** The payload the indexer accepts to reconcile repositories with the bucket (see lambda/indexer/events.ts). */
export const REINDEX_REQUEST = { action: 'reindex' } as const;

export interface ChartIndexerProps {
  readonly bucket: s3.IBucket;
  readonly encryptionKey?: kms.IKey;
  /** Allowed repository prefixes (folders ending in '/'); undefined = every folder. */
  readonly repositoryPrefixes?: readonly string[];
  readonly indexFormat: IndexFormat;
  readonly memorySize: Size;
  readonly timeout: Duration;
  readonly maxReceiveCount: number;
  readonly reindexSchedule: events.Schedule;
  readonly logRetention: logs.RetentionDays;
}

/**
 * S3 notifications (`*.tgz` created or removed) -> SQS queue with a dead-letter queue -> the indexer Lambda,
 * plus a scheduled reindex and a reindex after each deployment that changes the indexer or its settings.
 */
export class ChartIndexer extends Construct {
  /**
   * Records for one repository arrive together more often within this window, so a burst of publishes
   * becomes one index write per repository instead of one per chart (and fewer conditional-write retries).
   */
  public static readonly BATCHING_WINDOW = Duration.seconds(5);
  /** At most this many S3 notifications per invocation; the handler groups them by repository. */
  public static readonly BATCH_SIZE = 100;

  public readonly function: lambda.Function;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** The `service` dimension of the indexer's metrics, unique to this repository. */
  public readonly metricsServiceName: string;

  constructor(scope: Construct, id: string, props: ChartIndexerProps) {
    super(scope, id);
    const { bucket } = props;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's rule for Lambda event sources: at least six times the function timeout, so a message is not
      // handed to a second invocation while the first (with its own retries) is still working on it.
      visibilityTimeout: Duration.seconds(props.timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });

    // Only charts (`*.tgz`) change an index; the handler re-reads each key's real state, so created and
    // removed (including delete markers) both map to "look at this key again".
    const destination = new s3n.SqsDestination(this.queue);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, { suffix: '.tgz' });
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED, destination, { suffix: '.tgz' });
    acknowledgeNotificationsHandler(this);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Helm chart repository indexer: reads charts, writes index.yaml',
    });
    allowWritingLogs(role, logGroup);
    const bucketStatements = indexerBucketStatements(bucket, props.repositoryPrefixes);
    bucketStatements.forEach((statement) => role.addToPrincipalPolicy(statement));
    acknowledgeWildcardResources(
      role,
      bucketStatements.flatMap((statement) => statement.resources),
      'The indexer reads the objects of its repositories (charts and index files) and writes only index.yaml ' +
        'objects; repository folders are created by publishers, so they can only be named with a wildcard.',
    );
    props.encryptionKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');

    this.metricsServiceName = `helm-chart-indexer-${Names.uniqueId(this)}`;
    const environment = {
      BUCKET_NAME: bucket.bucketName,
      REPOSITORY_PREFIXES: (props.repositoryPrefixes ?? []).join(','),
      INDEX_FORMAT: props.indexFormat,
      POWERTOOLS_SERVICE_NAME: this.metricsServiceName,
      POWERTOOLS_METRICS_NAMESPACE: INDEXER_METRICS_NAMESPACE,
      // The bundle ships a linked source map: stack traces in the logs name lambda/ source lines.
      NODE_OPTIONS: '--enable-source-maps',
    };

    this.function = new lambda.Function(this, 'Function', {
      description: 'Rebuilds index.yaml of each Helm chart repository prefix from S3 events',
      code: lambda.Code.fromAsset(indexerAssetDir()),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize.toMebibytes(),
      timeout: props.timeout,
      role,
      logGroup,
      environment,
      // Each deployment that changes code or settings publishes a version (used by the reindex below);
      // old versions are not worth keeping.
      currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY },
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: ChartIndexer.BATCH_SIZE,
        maxBatchingWindow: ChartIndexer.BATCHING_WINDOW,
        reportBatchItemFailures: true,
      }),
    );

    new events.Rule(this, 'ReindexSchedule', {
      description: 'Reconciles every Helm chart repository index with the bucket',
      schedule: props.reindexSchedule,
      targets: [
        new targets.LambdaFunction(this.function, {
          event: events.RuleTargetInput.fromObject(REINDEX_REQUEST),
          retryAttempts: 2,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    this.reindexAfterDeployment(bucket);
  }

  /**
   * Invokes the indexer's current version asynchronously once the queue and notifications are in place: on
   * the first deployment (charts already in a brought bucket get indexed) and whenever the indexer's code or
   * settings change (the version ARN changes). A failed reindex never fails the deployment; the schedule retries.
   */
  private reindexAfterDeployment(bucket: s3.IBucket): void {
    const version = this.function.currentVersion;
    Annotations.of(this.function).acknowledgeWarning(
      '@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
      'The version is invoked only by the reindex custom resource, whose role is granted lambda:InvokeFunction on ' +
        'the version ARN itself; the resource-based permissions (EventBridge) are for the unqualified function.',
    );
    const provider = ReindexProviderAccess.of(this);
    const call: cr.AwsSdkCall = {
      service: 'Lambda',
      action: 'invoke',
      parameters: {
        FunctionName: version.functionArn,
        InvocationType: 'Event',
        Payload: JSON.stringify(REINDEX_REQUEST),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`reindex-${Names.uniqueId(this)}`),
    };
    const reindex = new cr.AwsCustomResource(this, 'ReindexOnDeploy', {
      resourceType: 'Custom::HelmChartReindex',
      onCreate: call,
      onUpdate: call,
      role: provider.role,
      logGroup: provider.logGroup,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [version.functionArn] }),
      ]),
      timeout: Duration.minutes(1),
    });
    // Notifications and the event source first: a chart uploaded during the reindex is then still seen.
    reindex.node.addDependency(bucket, this.queue, this.function);
  }
}

/**
 * The role and log group of the AwsCustomResource provider function. That function is one per stack (a
 * singleton), so these are too: every repository in the stack adds its invoke permission to the same role.
 */
class ReindexProviderAccess extends Construct {
  public static of(scope: Construct): ReindexProviderAccess {
    const stack = Stack.of(scope);
    const id = 'HelmChartReindexProviderAccess';
    return (stack.node.tryFindChild(id) as ReindexProviderAccess | undefined) ?? new ReindexProviderAccess(stack, id);
  }

  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Invokes Helm chart indexers once after each deployment that changes them',
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    allowWritingLogs(this.role, this.logGroup);
  }
}

/** Instead of the AWSLambdaBasicExecutionRole managed policy (any log group): the function's own log group. */
function allowWritingLogs(role: iam.Role, logGroup: logs.LogGroup): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
}

/**
 * The indexer reads every object of the allowed repositories (charts and indexes), writes only index files,
 * and lists the bucket (without a prefix condition: a GET of a missing index.yaml must answer 404, not 403,
 * and S3 only does that for a principal allowed to list).
 */
export function indexerBucketStatements(
  bucket: s3.IBucket,
  prefixes: readonly string[] | undefined,
): iam.PolicyStatement[] {
  const folders = prefixes ?? [''];
  return [
    new iam.PolicyStatement({
      sid: 'ReadRepositories',
      actions: ['s3:GetObject'],
      resources: folders.map((folder) => bucket.arnForObjects(`${folder}*`)),
    }),
    new iam.PolicyStatement({
      sid: 'WriteIndexes',
      actions: ['s3:PutObject'],
      resources: folders.flatMap((folder) => [
        bucket.arnForObjects(`${folder}index.yaml`),
        bucket.arnForObjects(`${folder}*/index.yaml`),
      ]),
    }),
    new iam.PolicyStatement({ sid: 'ListRepositories', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  ];
}

/**
 * `addEventNotification` puts aws-cdk-lib's own bucket-notifications handler (one per stack) at the stack root.
 * Its role carries the AWS managed policy for writing its own logs; that is aws-cdk-lib's choice, not ours.
 */
function acknowledgeNotificationsHandler(scope: Construct): void {
  const handler = Stack.of(scope).node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "aws-cdk-lib's bucket-notifications handler (configures the chart bucket's S3 notifications at deploy time) " +
      'uses the AWS managed policy that only lets it write its own CloudWatch logs.',
  );
}
