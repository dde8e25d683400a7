import { Duration } from 'aws-cdk-lib';
import { RepositoryAccess, RepositoryAccessKind } from './access-mode';
import { RepositoryEncryption } from './chart-bucket';
import { certificateRegion } from './distribution';
import type { HelmChartRepositoryProps } from './helm-chart-repository';
import {
  rejectWithBroughtBucket,
  validateDomainName,
  validateDurationRange,
  validateIntegerRange,
  validatePrefixes,
  validateWebAclArn,
} from './validation';

const OWNER = 'HelmChartRepository';

/**
 * Checks the props before anything is created: each message names the prop, what was wrong, what was expected
 * and what was received. Unresolved tokens are skipped (their values are only known at deploy time).
 */
export function validateRepositoryProps(props: HelmChartRepositoryProps): void {
  validatePrefixes(OWNER, 'repositoryPrefixes', props.repositoryPrefixes);
  validateIntegerRange(OWNER, 'maxReceiveCount', props.maxReceiveCount, 1, 1000);
  validateDurationRange(OWNER, 'indexerTimeout', props.indexerTimeout, Duration.seconds(30), Duration.minutes(15));
  validateDurationRange(
    OWNER,
    'noncurrentVersionExpiration',
    props.noncurrentVersionExpiration,
    Duration.days(1),
    Duration.days(36500),
  );
  if (props.indexerMemorySize !== undefined && !props.indexerMemorySize.isUnresolved()) {
    validateIntegerRange(OWNER, 'indexerMemorySize (MiB)', props.indexerMemorySize.toMebibytes(), 256, 10240);
  }
  if (props.bucket) {
    rejectWithBroughtBucket(OWNER, {
      encryption: props.encryption,
      removalPolicy: props.removalPolicy,
      noncurrentVersionExpiration: props.noncurrentVersionExpiration,
      accessLogsBucket: props.accessLogsBucket,
    });
  }
  if (props.encryption === RepositoryEncryption.S3_MANAGED && props.encryptionKey) {
    throw new Error(
      `${OWNER}: encryptionKey was given with encryption S3_MANAGED; expected encryption KMS (or left out) with a key, received S3_MANAGED`,
    );
  }
  const access = props.access ?? RepositoryAccess.public();
  if (access.kind === RepositoryAccessKind.IAM_ONLY) {
    const cloudFrontOnly = {
      domain: props.domain,
      webAclArn: props.webAclArn,
      priceClass: props.priceClass,
      distributionLogBucket: props.distributionLogBucket,
      absoluteChartUrls: props.absoluteChartUrls || undefined,
    };
    for (const [name, value] of Object.entries(cloudFrontOnly)) {
      if (value !== undefined) {
        throw new Error(
          `${OWNER}: ${name} only applies to a repository served by CloudFront; expected it left out with RepositoryAccess.iamOnly(), received a value`,
        );
      }
    }
  }
  if (props.domain) {
    validateDomainName(OWNER, 'domain.domainName', props.domain.domainName);
    const region = certificateRegion(props.domain.certificate);
    if (region !== undefined && region !== 'us-east-1') {
      throw new Error(
        `${OWNER}: domain.certificate is in ${region}; expected a certificate in us-east-1 (CloudFront only uses those), received ${props.domain.certificate.certificateArn}`,
      );
    }
  }
  if (props.webAclArn !== undefined) validateWebAclArn(OWNER, 'webAclArn', props.webAclArn);
}
