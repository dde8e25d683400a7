import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import {
  ClientAccess,
  EksClientKind,
  HelmChartRepository,
  IndexFormat,
  RepositoryAccess,
  RepositoryEncryption,
  type RepositoryDomain,
} from '../lib';
import type { AppConfig } from './app-config';

export interface HelmChartRepositoryStackProps extends StackProps {
  readonly config: AppConfig;
}

/** The app's one stack: a HelmChartRepository configured from cdk.json, and the outputs an operator copies. */
export class HelmChartRepositoryStack extends Stack {
  public readonly repository: HelmChartRepository;

  constructor(scope: Construct, id: string, props: HelmChartRepositoryStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.repository = new HelmChartRepository(this, 'Repository', {
      bucket: config.existingBucketName
        ? s3.Bucket.fromBucketName(this, 'ExistingBucket', config.existingBucketName)
        : undefined,
      encryption: config.existingBucketName ? undefined : encryptionOf(config),
      removalPolicy: config.existingBucketName ? undefined : removalPolicyOf(config),
      repositoryPrefixes: config.repositoryPrefixes,
      indexFormat: config.indexFormat === 'json' ? IndexFormat.JSON : IndexFormat.YAML,
      access: accessOf(config),
      domain: this.domainOf(config),
      webAclArn: config.webAclArn,
      priceClass: config.priceClass as cloudfront.PriceClass | undefined,
      alarmTopic: config.alarmEmail ? this.alarmTopic(config.alarmEmail) : undefined,
    });

    for (const client of config.eksClients) {
      const role = this.repository.addEksClient(client.id, {
        kind: client.kind === 'irsa' ? EksClientKind.IRSA : EksClientKind.POD_IDENTITY,
        namespace: client.namespace,
        serviceAccount: client.serviceAccount,
        access: client.access === 'publish' ? ClientAccess.PUBLISH : ClientAccess.READ,
        prefixes: client.prefixes,
        clusterName: client.clusterName,
        openIdConnectProvider: client.oidcProviderArn
          ? iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
              this,
              `${client.id}OidcProvider`,
              client.oidcProviderArn,
            )
          : undefined,
      });
      new CfnOutput(this, `${client.id}RoleArn`, {
        description: `Role of EKS service account ${client.namespace}/${client.serviceAccount} (${client.kind}, ${client.access})`,
        value: role.roleArn,
      });
    }
    for (const client of config.ec2Clients) {
      const { role, instanceProfile } = this.repository.addEc2Client(client.id, {
        access: client.access === 'publish' ? ClientAccess.PUBLISH : ClientAccess.READ,
        prefixes: client.prefixes,
      });
      new CfnOutput(this, `${client.id}RoleArn`, {
        description: `EC2 client role (${client.access})`,
        value: role.roleArn,
      });
      new CfnOutput(this, `${client.id}InstanceProfileArn`, {
        description: 'Launch instances with this instance profile',
        value: instanceProfile.instanceProfileArn,
      });
    }
    this.addOutputs(config);
  }

  private addOutputs(config: AppConfig): void {
    const repo = this.repository;
    new CfnOutput(this, 'BucketName', { description: 'The chart bucket', value: repo.bucket.bucketName });
    config.repositoryPrefixes.forEach((prefix, i) => {
      const n = i + 1;
      const name = prefix.replace(/\/$/, '').split('/').pop();
      new CfnOutput(this, `RepositoryUrl${n}`, {
        description: `Repository ${prefix}`,
        value: repo.repositoryUrl(prefix),
      });
      new CfnOutput(this, `PublishCommand${n}`, {
        description: `Publish a chart to ${prefix} (the index updates within seconds)`,
        value: `aws s3 cp mychart-1.0.0.tgz s3://${repo.bucket.bucketName}/${prefix}`,
      });
      const credentials = config.access === 'basic-auth' ? ' --username USER --password-stdin' : '';
      new CfnOutput(this, `HelmRepoAddCommand${n}`, {
        description: `Add repository ${prefix} to helm${config.access === 'iam-only' ? ' (needs the helm-s3 plugin)' : ''}`,
        value: `helm repo add ${name} ${repo.repositoryUrl(prefix)}${credentials}`,
      });
    });
    if (repo.distribution) {
      new CfnOutput(this, 'DistributionId', {
        description: 'The CloudFront distribution',
        value: repo.distribution.distributionId,
      });
    }
    if (repo.keyValueStore) {
      new CfnOutput(this, 'UsersKeyValueStoreArn', {
        description: 'Basic-auth users: key user name, value hex sha256 of "user:password" (see the README)',
        value: repo.keyValueStore.keyValueStoreArn,
      });
    }
  }

  private domainOf(config: AppConfig): RepositoryDomain | undefined {
    const setting = config.domain;
    if (!setting) return undefined;
    return {
      domainName: setting.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', setting.certificateArn),
      hostedZone:
        setting.hostedZoneId && setting.hostedZoneName
          ? route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
              hostedZoneId: setting.hostedZoneId,
              zoneName: setting.hostedZoneName,
            })
          : undefined,
    };
  }

  /** Alarm notifications by e-mail, through a topic encrypted with a key CloudWatch may use. */
  private alarmTopic(email: string): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Helm chart repository alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications; an SSE topic needs it to be able to use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}

function accessOf(config: AppConfig): RepositoryAccess {
  switch (config.access) {
    case 'basic-auth':
      return RepositoryAccess.basicAuth({ realm: config.basicAuthRealm });
    case 'iam-only':
      return RepositoryAccess.iamOnly();
    default:
      return RepositoryAccess.public();
  }
}

function encryptionOf(config: AppConfig): RepositoryEncryption {
  return config.encryption === 'kms' ? RepositoryEncryption.KMS : RepositoryEncryption.S3_MANAGED;
}

function removalPolicyOf(config: AppConfig): RemovalPolicy {
  return config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
