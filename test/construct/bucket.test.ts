import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RepositoryAccess, RepositoryEncryption } from '../../lib';
import { asArray, flat, logicalIdOf, synthRepository, type Statement } from './helpers';

function chartBucketId(template: ReturnType<typeof synthRepository>['template']): string {
  return logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket');
}

describe('chart bucket (created)', () => {
  const { template } = synthRepository();
  const bucketId = chartBucketId(template);

  test('blocks all public access, is versioned, enforces object ownership and is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'expire-noncurrent-versions',
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
              ExpiredObjectDeleteMarker: true,
            }),
          ]),
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsAccessLogsBucket') },
          LogFilePrefix: 'chart-bucket/',
        },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the bucket policy denies plain HTTP and TLS below 1.2, and admits only the distribution', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (policy) => policy.Properties.Bucket.Ref === bucketId,
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement as Statement[];
    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies).toEqual([
      expect.objectContaining({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allow.Action).toBe('s3:GetObject');
    expect(flat(allow.Resource)).toBe(`<${bucketId}.Arn>/*`);
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'ChartsCdnDistribution');
    expect(flat(allow.Condition?.StringEquals?.['AWS:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`,
    );
  });

  test('access logs go to a private, TLS-only log bucket that only the S3 logging service may write, for this bucket', () => {
    const logsId = logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsAccessLogsBucket');
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
        LoggingConfiguration: Match.absent(),
      }),
      DeletionPolicy: 'Retain',
    });
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === logsId,
    );
    const allows = (policy!.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' });
    expect(flat(allows[0].Resource)).toBe(`<${logsId}.Arn>/chart-bucket/*`);
    expect(flat(allows[0].Condition?.ArnLike?.['aws:SourceArn'])).toBe(`<${bucketId}.Arn>`);
    expect(allows[0].Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
  });

  test('removalPolicy and noncurrentVersionExpiration are honoured', () => {
    const { template: t } = synthRepository({
      removalPolicy: RemovalPolicy.DESTROY,
      noncurrentVersionExpiration: Duration.days(90),
    });
    t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })],
        },
      }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('chart bucket with KMS', () => {
  const { template, repo } = synthRepository({ encryption: RepositoryEncryption.KMS });
  const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'ChartsBucketKey');

  test('a rotating, retained key encrypts the bucket with a bucket key', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
    expect(repo.encryptionKey).toBeDefined();
  });

  test('the key policy lets CloudFront decrypt, only for distributions of this account', () => {
    const key = template.findResources('AWS::KMS::Key')[keyId];
    const cloudFront = (key.Properties.KeyPolicy.Statement as Statement[]).filter((s) =>
      JSON.stringify(s.Principal).includes('cloudfront'),
    );
    expect(cloudFront).toHaveLength(1);
    expect(cloudFront[0]).toMatchObject({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
    expect(flat(cloudFront[0].Condition?.ArnLike?.['AWS:SourceArn'])).toBe(
      'arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/*',
    );
  });

  test('a key given with encryptionKey is used instead of a new one', () => {
    const { template: t } = synthRepository((stack) => ({ encryptionKey: new kms.Key(stack, 'MyKey') }));
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toEqual([expect.stringMatching(/^MyKey/)]);
  });
});

describe('brought bucket', () => {
  test('no bucket is created; the brought one is notified on and indexed', () => {
    const { template, repo } = synthRepository((stack) => ({
      bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing-charts'),
      encryptionKey: kms.Key.fromKeyArn(
        stack,
        'ExistingKey',
        'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ),
    }));
    expect(template.findResources('AWS::S3::Bucket')).toEqual({});
    expect(repo.bucket.bucketName).toBe('existing-charts');
    template.hasResourceProperties('Custom::S3BucketNotifications', { BucketName: 'existing-charts', Managed: false });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BUCKET_NAME: 'existing-charts' }) },
    });
  });

  test('a brought bucket in the same stack gets the Origin Access Control statement', () => {
    const { template } = synthRepository((stack) => ({ bucket: new s3.Bucket(stack, 'Mine') }));
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0];
    const statements = asArray(policy.Properties.PolicyDocument.Statement as Statement[]);
    expect(statements.some((s) => JSON.stringify(s.Principal).includes('cloudfront.amazonaws.com'))).toBe(true);
  });

  test.each([
    ['encryption', { encryption: RepositoryEncryption.KMS }],
    ['removalPolicy', { removalPolicy: RemovalPolicy.DESTROY }],
    ['noncurrentVersionExpiration', { noncurrentVersionExpiration: Duration.days(3) }],
  ])('%s is refused with a brought bucket', (prop, extra) => {
    expect(() =>
      synthRepository((stack) => ({
        bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing-charts'),
        ...extra,
      })),
    ).toThrow(
      new RegExp(
        `HelmChartRepository: ${prop} only applies to a bucket this construct creates, but \`bucket\` was given`,
      ),
    );
  });

  test('IAM only creates no distribution and no Origin Access Control', () => {
    const { template, repo } = synthRepository({ access: RepositoryAccess.iamOnly() });
    expect(repo.distribution).toBeUndefined();
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p.Properties.Bucket).includes('ChartsBucket'),
    );
    const allows = (policy!.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([]);
  });
});
