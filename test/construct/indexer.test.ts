import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as events from 'aws-cdk-lib/aws-events';
import { HelmChartRepository, IndexFormat, RepositoryEncryption } from '../../lib';
import { indexerAssetDir, packageRoot } from '../../lib/package-assets';
import { flat, logicalIdOf, onlyResource, roleStatements, synthRepository, WRITE_ACTIONS, asArray } from './helpers';

describe('indexer wiring', () => {
  const { template, repo } = synthRepository();
  const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'ChartsIndexerQueue');
  const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'ChartsIndexerDeadLetterQueue');
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'ChartsIndexerFunction');

  test('S3 notifications for *.tgz created and removed go to the queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.tgz' }] } },
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
          {
            Events: ['s3:ObjectRemoved:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.tgz' }] } },
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
        ],
      },
    });
  });

  test('the queue is encrypted, TLS only, with a dead-letter queue after 5 receives and 6x the timeout visible', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  test('S3 may send to the queue only for this bucket', () => {
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find(
      (p) => p.Properties.Queues[0].Ref === queueId,
    );
    const allows = policy!.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Action: expect.arrayContaining(['sqs:SendMessage']),
    });
    expect(allows[0].Condition.ArnLike['aws:SourceArn']).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  });

  test('the function runs the real bundled handler on current Node.js, ARM64, 1 GiB, 5 minutes', () => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId];
    expect(fn.Properties).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 300,
    });
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    // Asset staging is off in tests, so the asset path is the folder the construct wired.
    expect(fn.Metadata['aws:asset:path']).toBe(path.join(packageRoot(), 'dist', 'bundle', 'indexer'));
    expect(fs.existsSync(path.join(fn.Metadata['aws:asset:path'], 'index.js'))).toBe(true);
  });

  test('the handler gets the environment of its contract', () => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId];
    expect(fn.Properties.Environment.Variables).toEqual({
      BUCKET_NAME: { Ref: bucketId },
      REPOSITORY_PREFIXES: '',
      INDEX_FORMAT: 'yaml',
      POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^helm-chart-indexer-/),
      POWERTOOLS_METRICS_NAMESPACE: 'HelmChartRepository',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  test('the queue feeds the function in batches with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the function logs to its own log group, with retention, through an inline policy only', () => {
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ChartsIndexerLogGroup');
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'ChartsIndexerRole');
    expect(template.findResources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the indexer role, statement by statement: read repositories, write index.yaml only, list, consume the queue', () => {
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'ChartsIndexerRole');
    const statements = roleStatements(template, roleId);
    const summary = statements.map((s) => ({
      actions: asArray(s.Action).sort(),
      resources: asArray(s.Resource).map(flat),
    }));
    expect(summary).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [expect.stringContaining('ChartsIndexerLogGroup')],
      },
      { actions: ['s3:GetObject'], resources: [`<${bucketId}.Arn>/*`] },
      { actions: ['s3:PutObject'], resources: [`<${bucketId}.Arn>/index.yaml`, `<${bucketId}.Arn>/*/index.yaml`] },
      { actions: ['s3:ListBucket'], resources: [`<${bucketId}.Arn>`] },
      {
        actions: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        resources: [`<${queueId}.Arn>`],
      },
    ]);
    expect(statements.every((s) => s.Effect === 'Allow' && s.Condition === undefined)).toBe(true);
    const writes = statements.filter((s) => asArray(s.Action).some((a) => WRITE_ACTIONS.test(a)));
    expect(writes.flatMap((s) => asArray(s.Resource).map(flat)).every((r) => r.endsWith('/index.yaml'))).toBe(true);
  });

  test('a daily schedule asks the indexer to reconcile, failed deliveries land in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          Input: '{"action":"reindex"}',
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        }),
      ],
    });
  });

  test('after deployment the current version is invoked asynchronously with a reindex request', () => {
    const { resource } = onlyResource(template, 'Custom::HelmChartReindex');
    const versionId = logicalIdOf(template, 'AWS::Lambda::Version', 'ChartsIndexerFunctionCurrentVersion');
    for (const phase of ['Create', 'Update']) {
      const call = JSON.parse(flat(resource.Properties[phase]).replace(`<${versionId}>`, 'VERSION_ARN'));
      expect(call).toEqual({
        service: 'Lambda',
        action: 'invoke',
        parameters: { FunctionName: 'VERSION_ARN', InvocationType: 'Event', Payload: '{"action":"reindex"}' },
        physicalResourceId: { id: expect.stringMatching(/^reindex-/) },
      });
    }
    expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
    // After the notifications and the event source exist, so no upload during the reindex is missed.
    expect(resource.DependsOn).toEqual(
      expect.arrayContaining([
        logicalIdOf(template, 'Custom::S3BucketNotifications', 'ChartsBucketNotifications'),
        logicalIdOf(template, 'AWS::Lambda::EventSourceMapping', 'ChartsIndexerFunctionSqsEventSource'),
        queueId,
      ]),
    );
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Delete' });
  });

  test('the reindex custom resource may invoke only that version, and write its own logs', () => {
    const versionId = logicalIdOf(template, 'AWS::Lambda::Version', 'ChartsIndexerFunctionCurrentVersion');
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'HelmChartReindexProviderAccessRole');
    const providerId = logicalIdOf(template, 'AWS::Lambda::Function', 'AWS679f53fac002430cb0da5b7982bd2287');
    expect(template.findResources('AWS::Lambda::Function')[providerId].Properties.Role).toEqual({
      'Fn::GetAtt': [roleId, 'Arn'],
    });
    const summary = roleStatements(template, roleId).map((s) => ({
      effect: s.Effect,
      actions: asArray(s.Action),
      resources: asArray(s.Resource).map(flat),
    }));
    expect(summary).toEqual(
      expect.arrayContaining([
        {
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [expect.stringContaining('HelmChartReindexProviderAccessLogGroup')],
        },
        { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [`<${versionId}>`] },
      ]),
    );
    expect(summary).toHaveLength(2);
    expect(template.findResources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('two repositories in a stack share the one provider function and its role', () => {
    const { template: t } = synthRepository({}, (_repo, stack) => {
      new HelmChartRepository(stack, 'Internal');
    });
    t.resourceCountIs('Custom::HelmChartReindex', 2);
    const providers = Object.keys(t.findResources('AWS::Lambda::Function')).filter((id) =>
      id.startsWith('AWS679f53fa'),
    );
    expect(providers).toHaveLength(1);
    const roleId = logicalIdOf(t, 'AWS::IAM::Role', 'HelmChartReindexProviderAccessRole');
    const invoked = roleStatements(t, roleId)
      .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asArray(s.Resource).map(flat));
    expect(invoked).toEqual([
      expect.stringMatching(/^<ChartsIndexerFunctionCurrentVersion/),
      expect.stringMatching(/^<InternalIndexerFunctionCurrentVersion/),
    ]);
  });

  test('exposes the function and queues', () => {
    expect(repo.indexerFunction.node.path).toBe('Test/Charts/Indexer/Function');
    expect(repo.queue.node.path).toBe('Test/Charts/Indexer/Queue');
    expect(repo.deadLetterQueue.node.path).toBe('Test/Charts/Indexer/DeadLetterQueue');
  });
});

describe('indexer options', () => {
  test('repository prefixes limit the environment and every S3 statement to those folders', () => {
    const { template } = synthRepository({ repositoryPrefixes: ['stable/', 'teams/a/'] });
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REPOSITORY_PREFIXES: 'stable/,teams/a/' }) },
    });
    const statements = roleStatements(template, logicalIdOf(template, 'AWS::IAM::Role', 'ChartsIndexerRole'));
    const resources = (action: string) =>
      statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource).map(flat));
    expect(resources('s3:GetObject')).toEqual([`<${bucketId}.Arn>/stable/*`, `<${bucketId}.Arn>/teams/a/*`]);
    expect(resources('s3:PutObject')).toEqual([
      `<${bucketId}.Arn>/stable/index.yaml`,
      `<${bucketId}.Arn>/stable/*/index.yaml`,
      `<${bucketId}.Arn>/teams/a/index.yaml`,
      `<${bucketId}.Arn>/teams/a/*/index.yaml`,
    ]);
  });

  test('index format, memory, timeout, receives and schedule are configurable', () => {
    const { template } = synthRepository({
      indexFormat: IndexFormat.JSON,
      indexerMemorySize: Size.mebibytes(2048),
      indexerTimeout: Duration.minutes(2),
      maxReceiveCount: 3,
      reindexSchedule: events.Schedule.cron({ minute: '0', hour: '3' }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 120,
      Environment: { Variables: Match.objectLike({ INDEX_FORMAT: 'json' }) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 720,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 3 * * ? *)' });
  });

  test('with KMS the indexer may decrypt and generate data keys with the bucket key, nothing more', () => {
    const { template } = synthRepository({ encryption: RepositoryEncryption.KMS });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'ChartsBucketKey');
    const statements = roleStatements(template, logicalIdOf(template, 'AWS::IAM::Role', 'ChartsIndexerRole'));
    const kms = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('kms:')));
    expect(kms).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      }),
    ]);
  });
});

describe('absolute chart URLs', () => {
  test('BASE_URL is the URL serving the bucket root: the custom domain, else the distribution', () => {
    const { template } = synthRepository({ absoluteChartUrls: true });
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'ChartsCdnDistribution');
    const fn =
      template.findResources('AWS::Lambda::Function')[
        logicalIdOf(template, 'AWS::Lambda::Function', 'ChartsIndexerFunction')
      ];
    expect(flat(fn.Properties.Environment.Variables.BASE_URL)).toBe(`https://<${distributionId}.DomainName>`);

    const { template: withDomain } = synthRepository((stack) => ({
      absoluteChartUrls: true,
      domain: {
        domainName: 'charts.example.com',
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'Cert',
          'arn:aws:acm:us-east-1:111122223333:certificate/abc',
        ),
      },
    }));
    withDomain.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BASE_URL: 'https://charts.example.com' }) },
    });
  });

  test("relative URLs (Helm's default) leave BASE_URL unset", () => {
    const { template } = synthRepository();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ BASE_URL: Match.absent() }) },
    });
  });
});

describe('the indexer asset', () => {
  test('a missing bundle is a clear error telling the user to build', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-repo-pkg-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'cdk-helm-chart-repository' }));
    fs.mkdirSync(path.join(root, 'dist', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ name: 'cdk-helm-chart-repository' }));
    expect(() => indexerAssetDir(path.join(root, 'dist', 'lib'))).toThrow(
      /the indexer Lambda bundle .*dist\/bundle\/indexer\/index\.js does not exist\. Run `npm run build`/,
    );
  });

  test('the package root is found from lib/ (ts-jest) and from dist/lib/ (an installed package)', () => {
    const root = packageRoot();
    expect(fs.existsSync(path.join(root, 'cdk.json'))).toBe(true);
    expect(packageRoot(path.join(root, 'dist', 'lib'))).toBe(root);
    expect(packageRoot(path.join(root, 'lib'))).toBe(root);
    expect(() => packageRoot(os.tmpdir())).toThrow(/expected the cdk-helm-chart-repository package at/);
  });
});
