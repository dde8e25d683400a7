import { CfnParameter, Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RepositoryAccess, RepositoryEncryption, type HelmChartRepositoryProps } from '../../lib';
import { synthRepository } from './helpers';
import type { Stack } from 'aws-cdk-lib';

const cases: [string, (stack: Stack) => HelmChartRepositoryProps, string][] = [
  [
    'a prefix without a trailing slash',
    () => ({ repositoryPrefixes: ['stable'] }),
    `HelmChartRepository: repositoryPrefixes[0] is not a repository prefix; expected a folder such as 'stable/' or 'teams/a/' (segments of letters, digits and !_.*'()- each ending in '/'), received "stable"`,
  ],
  ['a leading slash', () => ({ repositoryPrefixes: ['/stable/'] }), 'repositoryPrefixes[0] is not a repository prefix'],
  ['a .. segment', () => ({ repositoryPrefixes: ['stable/../'] }), `repositoryPrefixes[0] has a '.' or '..' segment`],
  [
    'a prefix listed twice',
    () => ({ repositoryPrefixes: ['a/', 'a/'] }),
    'repositoryPrefixes[1] is listed twice; expected each prefix once, received "a/"',
  ],
  [
    'an empty prefix list',
    () => ({ repositoryPrefixes: [] }),
    'repositoryPrefixes is empty; expected at least one prefix, or leave it out to allow every folder, received []',
  ],
  [
    'maxReceiveCount 0',
    () => ({ maxReceiveCount: 0 }),
    'maxReceiveCount is out of range; expected an integer from 1 to 1000, received 0',
  ],
  [
    'a 20 minute timeout',
    () => ({ indexerTimeout: Duration.minutes(20) }),
    'indexerTimeout is out of range; expected from 30 seconds to 15 minutes, received "20 minutes"',
  ],
  [
    '128 MiB of memory',
    () => ({ indexerMemorySize: Size.mebibytes(128) }),
    'indexerMemorySize (MiB) is out of range; expected an integer from 256 to 10240, received 128',
  ],
  [
    'a key with S3-managed encryption',
    (stack) => ({ encryption: RepositoryEncryption.S3_MANAGED, encryptionKey: new kms.Key(stack, 'K') }),
    'encryptionKey was given with encryption S3_MANAGED',
  ],
  [
    'a domain on an IAM-only repository',
    (stack) => ({
      access: RepositoryAccess.iamOnly(),
      domain: {
        domainName: 'charts.example.com',
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'C',
          'arn:aws:acm:us-east-1:111122223333:certificate/abc',
        ),
      },
    }),
    'domain only applies to a repository served by CloudFront; expected it left out with RepositoryAccess.iamOnly()',
  ],
  [
    'a price class on an IAM-only repository',
    () => ({ access: RepositoryAccess.iamOnly(), priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL }),
    'priceClass only applies to a repository served by CloudFront',
  ],
  [
    'absolute chart URLs on an IAM-only repository',
    () => ({ access: RepositoryAccess.iamOnly(), absoluteChartUrls: true }),
    'absoluteChartUrls only applies to a repository served by CloudFront',
  ],
  [
    'a certificate outside us-east-1',
    (stack) => ({
      domain: {
        domainName: 'charts.example.com',
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'C',
          'arn:aws:acm:eu-west-1:111122223333:certificate/abc',
        ),
      },
    }),
    'domain.certificate is in eu-west-1; expected a certificate in us-east-1 (CloudFront only uses those), received arn:aws:acm:eu-west-1:111122223333:certificate/abc',
  ],
  [
    'an upper-case domain',
    (stack) => ({
      domain: {
        domainName: 'Charts.Example.com',
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'C',
          'arn:aws:acm:us-east-1:111122223333:certificate/abc',
        ),
      },
    }),
    `domain.domainName is not a domain name; expected a lower-case DNS name such as 'charts.example.com', received "Charts.Example.com"`,
  ],
  [
    'a regional web ACL',
    () => ({ webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/charts/abc' }),
    'webAclArn is not a CloudFront-scoped WAFv2 web ACL ARN',
  ],
];

describe('props are validated up front', () => {
  test.each(cases)('%s', (_what, props, message) => {
    expect(() => synthRepository(props)).toThrow(message);
  });

  test('a realm with a quote is refused when the access mode is made', () => {
    expect(() => RepositoryAccess.basicAuth({ realm: 'say "hi"' })).toThrow(
      'RepositoryAccess.basicAuth: realm cannot be used as a basic-auth realm; expected printable ASCII, 1 to 100 characters, no " or \\, received "say \\"hi\\""',
    );
  });

  test('unresolved tokens are not judged at synth', () => {
    const { template } = synthRepository((stack) => ({
      repositoryPrefixes: [new CfnParameter(stack, 'Prefix').valueAsString],
      maxReceiveCount: new CfnParameter(stack, 'Receives', { type: 'Number' }).valueAsNumber,
      webAclArn: new CfnParameter(stack, 'WebAcl').valueAsString,
    }));
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: { Ref: 'Receives' } },
    });
  });
});
