/**
 * cdk-nag's AwsSolutions pack over the app's stack and over stacks using every option: no finding may be left
 * unacknowledged, and every acknowledgement names its construct and gives a reason.
 */
import { App, Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAppConfig } from '../../bin/app-config';
import { HelmChartRepositoryStack } from '../../bin/repository-stack';
import {
  ClientAccess,
  EksClientKind,
  HelmChartRepository,
  IndexFormat,
  RepositoryAccess,
  RepositoryEncryption,
} from '../../lib';
import { testApp } from './helpers';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every acknowledgement recorded in the tree (CDK's Validations metadata, which cdk-nag reads). */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

function expectClean(stack: Stack) {
  expect(findings(stack)).toEqual([]);
  const acks = acknowledgements(stack);
  for (const ack of acks) {
    expect(ack.id).toMatch(/^Annotation::AwsSolutions-/);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
  return acks;
}

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';
const OIDC_ARN =
  'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** A stack using every option that can be combined: KMS, basic auth, domain, WAF, logs, clients, alarms. */
function everyOptionStack(app: App): Stack {
  const stack = new Stack(app, 'EveryOption');
  const cloudFrontLogs = new s3.Bucket(stack, 'CloudFrontLogs', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
  });
  Validations.of(cloudFrontLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'EveryOption/CloudFrontLogs receives CloudFront access logs; logging the log bucket would only log the logging.',
  });
  const alarmKey = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true });
  const repo = new HelmChartRepository(stack, 'Charts', {
    encryption: RepositoryEncryption.KMS,
    repositoryPrefixes: ['stable/', 'teams/'],
    indexFormat: IndexFormat.JSON,
    access: RepositoryAccess.basicAuth({
      realm: 'Platform charts',
      keyValueStore: new cloudfront.KeyValueStore(stack, 'Users'),
    }),
    domain: {
      domainName: 'charts.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        zoneName: 'example.com',
      }),
    },
    webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/charts/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
    distributionLogBucket: cloudFrontLogs,
    reindexSchedule: events.Schedule.rate(Duration.hours(6)),
    indexerMemorySize: Size.mebibytes(2048),
    indexerTimeout: Duration.minutes(10),
    maxReceiveCount: 3,
    noncurrentVersionExpiration: Duration.days(90),
    alarmTopic: new sns.Topic(stack, 'Alarms', { masterKey: alarmKey, enforceSSL: true }),
  });
  repo.addEksClient('FluxReader', {
    kind: EksClientKind.IRSA,
    openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', OIDC_ARN),
    namespace: 'flux-system',
    serviceAccount: 'source-controller',
  });
  repo.addEksClient('CiPublisher', {
    kind: EksClientKind.POD_IDENTITY,
    clusterName: 'platform',
    namespace: 'ci',
    serviceAccount: 'chart-publisher',
    access: ClientAccess.PUBLISH,
    prefixes: ['teams/'],
  });
  repo.addEc2Client('Builders', { access: ClientAccess.PUBLISH, prefixes: ['stable/'] });
  return stack;
}

describe('cdk-nag AwsSolutions', () => {
  test('the app stack, configured from cdk.json, has no unacknowledged finding', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const config = readAppConfig(cdkJson.context);
    const stack = new HelmChartRepositoryStack(testApp(), config.stackName, { config });
    expectClean(stack);
  });

  test('the app stack with every app setting has no unacknowledged finding', () => {
    const context: Record<string, unknown> = {
      'helmRepository:access': 'basic-auth',
      'helmRepository:encryption': 'kms',
      'helmRepository:repositoryPrefixes': ['stable/', 'incubator/'],
      'helmRepository:domainName': 'charts.example.com',
      'helmRepository:certificateArn': CERTIFICATE_ARN,
      'helmRepository:hostedZoneId': 'Z0123456789ABCDEFGHIJ',
      'helmRepository:hostedZoneName': 'example.com',
      'helmRepository:alarmEmail': 'platform@example.com',
      'helmRepository:eksClients': [
        {
          id: 'Flux',
          kind: 'irsa',
          oidcProviderArn: OIDC_ARN,
          namespace: 'flux-system',
          serviceAccount: 'source-controller',
        },
        {
          id: 'Ci',
          kind: 'pod-identity',
          clusterName: 'platform',
          namespace: 'ci',
          serviceAccount: 'publisher',
          access: 'publish',
          prefixes: ['incubator/'],
        },
      ],
      'helmRepository:ec2Clients': [{ id: 'Builders', access: 'publish' }],
    };
    const config = readAppConfig(context);
    expectClean(new HelmChartRepositoryStack(testApp(), 'Full', { config }));
  });

  test('a stack using every option has no unacknowledged finding; each acknowledgement names its construct', () => {
    const acks = expectClean(everyOptionStack(testApp()));
    const table = acks.map((a) => `${a.path} | ${a.id} | ${a.reason}`).join('\n');
    // The list the README documents; printed so a reviewer sees every acknowledgement with its reason.
    console.log(`acknowledged cdk-nag findings (construct | rule | reason):\n${table}`);
    expect(acks.map((a) => a.id)).toEqual(
      expect.arrayContaining([
        'Annotation::AwsSolutions-CFR1',
        'Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ]),
    );
    // With a domain, a web ACL and a log bucket, the distribution needs no CFR2/3/4 acknowledgement.
    expect(acks.filter((a) => a.path === 'EveryOption/Charts/Cdn/Distribution').map((a) => a.id)).toEqual([
      'Annotation::AwsSolutions-CFR1',
    ]);
  });

  test('a brought bucket served IAM only has no unacknowledged finding', () => {
    const stack = new Stack(testApp(), 'Brought');
    new HelmChartRepository(stack, 'Charts', {
      bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing-charts'),
      access: RepositoryAccess.iamOnly(),
    }).addEc2Client('Readers');
    expectClean(stack);
  });

  test('the checks do fail on an unacknowledged finding', () => {
    const stack = new Stack(testApp(), 'Unsafe');
    new s3.Bucket(stack, 'Plain');
    expect(findings(stack)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 at Unsafe\/Plain/)]),
    );
  });
});
