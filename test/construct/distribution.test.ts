import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RepositoryAccess, RepositoryEncryption } from '../../lib';
import { flat, logicalIdOf, onlyResource, synthRepository } from './helpers';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/charts/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

type Behavior = {
  PathPattern?: string;
  CachePolicyId: { Ref: string };
  ResponseHeadersPolicyId: { Ref: string };
  ViewerProtocolPolicy: string;
  Compress: boolean;
  AllowedMethods: string[];
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
};

function distributionConfig(template: ReturnType<typeof synthRepository>['template']) {
  return onlyResource(template, 'AWS::CloudFront::Distribution').resource.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    [key: string]: unknown;
  };
}

describe('CloudFront distribution (public)', () => {
  const { template, repo } = synthRepository();
  const config = distributionConfig(template);
  const indexPolicyId = logicalIdOf(template, 'AWS::CloudFront::CachePolicy', 'ChartsCdnIndexCachePolicy');
  const archivePolicyId = logicalIdOf(template, 'AWS::CloudFront::CachePolicy', 'ChartsCdnArchiveCachePolicy');
  const indexHeadersId = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', 'ChartsCdnIndexHeadersPolicy');
  const archiveHeadersId = logicalIdOf(
    template,
    'AWS::CloudFront::ResponseHeadersPolicy',
    'ChartsCdnArchiveHeadersPolicy',
  );

  test('reads the bucket through Origin Access Control (no website endpoint), signing every request', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const origins = config.Origins as {
      DomainName: unknown;
      S3OriginConfig: unknown;
      OriginAccessControlId: unknown;
    }[];
    expect(origins).toHaveLength(1);
    expect(origins[0].DomainName).toEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket'), 'RegionalDomainName'],
    });
    expect(origins[0].S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origins[0].OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'],
    });
  });

  test('HTTP/2 and HTTP/3, IPv6, PriceClass_100, no cached errors', () => {
    expect(config).toMatchObject({
      Enabled: true,
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      PriceClass: 'PriceClass_100',
      CustomErrorResponses: [
        { ErrorCode: 403, ErrorCachingMinTTL: 0 },
        { ErrorCode: 404, ErrorCachingMinTTL: 0 },
      ],
    });
    expect(config.Aliases).toBeUndefined();
    expect(config.WebACLId).toBeUndefined();
    expect(config.Logging).toBeUndefined();
  });

  test('index files (and anything unmatched) revalidate; archives and provenance files are cached long', () => {
    const common = {
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
      AllowedMethods: ['GET', 'HEAD'],
      CachedMethods: ['GET', 'HEAD'],
    };
    const index = {
      ...common,
      CachePolicyId: { Ref: indexPolicyId },
      ResponseHeadersPolicyId: { Ref: indexHeadersId },
    };
    const archive = {
      ...common,
      CachePolicyId: { Ref: archivePolicyId },
      ResponseHeadersPolicyId: { Ref: archiveHeadersId },
    };
    expect(config.DefaultCacheBehavior).toMatchObject(index);
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['*index.yaml', '*index.json', '*.tgz', '*.prov']);
    expect(config.CacheBehaviors[0]).toMatchObject(index);
    expect(config.CacheBehaviors[1]).toMatchObject(index);
    expect(config.CacheBehaviors[2]).toMatchObject(archive);
    expect(config.CacheBehaviors[3]).toMatchObject(archive);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.FunctionAssociations).toBeUndefined();
    }
  });

  test('the index cache policy has TTL 0 (every request revalidates) and compresses', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        DefaultTTL: 0,
        MinTTL: 0,
        MaxTTL: 1,
        Name: Match.anyValue(),
        Comment: Match.stringLikeRegexp('revalidated'),
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
        }),
      },
    });
  });

  test('the archive cache policy caches a week by default, up to a year', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 7 * 24 * 3600,
        MinTTL: 0,
        MaxTTL: 365 * 24 * 3600,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ EnableAcceptEncodingGzip: true }),
      }),
    });
  });

  test('responses carry security headers; index responses also tell downstream caches to revalidate', () => {
    const securityHeaders = {
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", Override: true },
    };
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies[archiveHeadersId].Properties.ResponseHeadersPolicyConfig).toMatchObject({
      SecurityHeadersConfig: securityHeaders,
    });
    expect(policies[archiveHeadersId].Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig).toBeUndefined();
    expect(policies[indexHeadersId].Properties.ResponseHeadersPolicyConfig).toMatchObject({
      SecurityHeadersConfig: securityHeaders,
      CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'no-cache', Override: true }] },
    });
  });

  test('repositoryUrl is the distribution URL of the folder', () => {
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'ChartsCdnDistribution');
    expect(flat(Stack.of(repo).resolve(repo.repositoryUrl('stable/')))).toBe(
      `https://<${distributionId}.DomainName>/stable`,
    );
    expect(flat(Stack.of(repo).resolve(repo.repositoryUrl('teams/a/')))).toBe(
      `https://<${distributionId}.DomainName>/teams/a`,
    );
  });
});

describe('CloudFront distribution options', () => {
  test('a custom domain gets its certificate, TLS 1.2 minimum, and A/AAAA alias records', () => {
    const { template, repo } = synthRepository((stack) => ({
      domain: {
        domainName: 'charts.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE_ARN),
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
          hostedZoneId: 'Z0123456789ABCDEFGHIJ',
          zoneName: 'example.com',
        }),
      },
    }));
    expect(distributionConfig(template)).toMatchObject({
      Aliases: ['charts.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: CERTIFICATE_ARN,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'ChartsCdnDistribution');
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'charts.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
          HostedZoneId: Match.anyValue(),
        },
      });
    }
    expect(repo.repositoryUrl('stable/')).toBe('https://charts.example.com/stable');
    expect(repo.repositoryUrl()).toBe('https://charts.example.com');
  });

  test('without a hosted zone no DNS record is made', () => {
    const { template } = synthRepository((stack) => ({
      domain: {
        domainName: 'charts.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE_ARN),
      },
    }));
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  test('web ACL, price class and CloudFront access logs are passed through', () => {
    const { template } = synthRepository((stack) => ({
      webAclArn: WEB_ACL_ARN,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      distributionLogBucket: new s3.Bucket(stack, 'CfLogs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER }),
    }));
    expect(distributionConfig(template)).toMatchObject({
      WebACLId: WEB_ACL_ARN,
      PriceClass: 'PriceClass_All',
      Logging: {
        Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^CfLogs/), 'RegionalDomainName'] },
        Prefix: 'cloudfront/',
      },
    });
  });
});

describe('basic auth at the edge', () => {
  const { template, repo } = synthRepository({ access: RepositoryAccess.basicAuth({ realm: 'Platform charts' }) });
  const config = distributionConfig(template);
  const functionId = logicalIdOf(template, 'AWS::CloudFront::Function', 'ChartsCdnBasicAuthFunction');
  const storeId = logicalIdOf(template, 'AWS::CloudFront::KeyValueStore', 'ChartsCdnUsers');

  test('a JS 2.0 function associated with the users KeyValueStore checks every behaviour at viewer request', () => {
    const fn = template.findResources('AWS::CloudFront::Function')[functionId].Properties;
    expect(fn.AutoPublish).toBe(true);
    expect(fn.FunctionConfig).toMatchObject({
      Runtime: 'cloudfront-js-2.0',
      KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } }],
    });
    expect(fn.FunctionCode).toContain('const REALM = "Platform charts";');
    expect(fn.FunctionCode).toContain("import cf from 'cloudfront';");
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ]);
      // A password must never cross plain HTTP; fail instead of redirecting.
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
  });

  test('the KeyValueStore starts empty (no credential in the template) and is exposed', () => {
    const store = template.findResources('AWS::CloudFront::KeyValueStore')[storeId].Properties;
    expect(store.ImportSource).toBeUndefined();
    expect(repo.keyValueStore).toBeDefined();
  });

  test('a KeyValueStore passed in is used instead of a new one', () => {
    const { template: t } = synthRepository((stack) => ({
      access: RepositoryAccess.basicAuth({ keyValueStore: new cloudfront.KeyValueStore(stack, 'TeamUsers') }),
    }));
    expect(Object.keys(t.findResources('AWS::CloudFront::KeyValueStore'))).toEqual([
      expect.stringMatching(/^TeamUsers/),
    ]);
  });
});

describe('synthesis warnings', () => {
  test.each([
    ['the default repository', {}],
    ['KMS and basic auth', { encryption: RepositoryEncryption.KMS, access: RepositoryAccess.basicAuth() }],
    ['IAM only', { access: RepositoryAccess.iamOnly() }],
  ])('%s synthesizes without a warning (each deliberate one is acknowledged with its reason)', (_what, props) => {
    const { stack } = synthRepository(props);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
