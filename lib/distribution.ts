import { Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RepositoryAccess, RepositoryAccessKind } from './access-mode';
import { acknowledge } from './nag-acknowledgements';
import { basicAuthFunctionSource } from './package-assets';

/** A custom domain for the repository. */
export interface RepositoryDomain {
  /** The host name clients use, for example `charts.example.com`. */
  readonly domainName: string;

  /** A certificate covering `domainName`. CloudFront requires it to be in us-east-1. */
  readonly certificate: acm.ICertificate;

  /**
   * The hosted zone in which to create `A` and `AAAA` alias records for `domainName`.
   *
   * @default - no DNS record: point `domainName` at the distribution's domain name yourself
   */
  readonly hostedZone?: route53.IHostedZone;
}

export interface RepositoryDistributionProps {
  readonly bucket: s3.IBucket;
  /** The key of a brought bucket encrypted with SSE-KMS that is not already `bucket.encryptionKey`. */
  readonly separateEncryptionKey?: kms.IKey;
  readonly access: RepositoryAccess;
  readonly domain?: RepositoryDomain;
  readonly webAclArn?: string;
  readonly priceClass: cloudfront.PriceClass;
  readonly logBucket?: s3.IBucket;
}

/** The marker line in lambda/edge/basic-auth.js whose string literal is replaced by the configured realm. */
const REALM_LINE = /^const REALM = '[^'\n]*';$/m;

/**
 * CloudFront in front of the private bucket (Origin Access Control, no website endpoint): HTTPS only,
 * compression, HTTP/2 and HTTP/3, security headers; index files revalidated on every request so a publish
 * shows at once without invalidations, chart archives and provenance files cached long.
 */
export class RepositoryDistribution extends Construct {
  /** Index files: cached with TTL 0, so every request revalidates with S3 (a conditional GET, cheap). */
  public static readonly INDEX_MAX_TTL = Duration.seconds(1);
  /** Archives and provenance files are immutable once a version is published. */
  public static readonly ARCHIVE_DEFAULT_TTL = Duration.days(7);
  public static readonly ARCHIVE_MAX_TTL = Duration.days(365);

  public readonly distribution: cloudfront.Distribution;
  /** The KeyValueStore with the basic-auth users, in basic-auth mode. */
  public readonly keyValueStore?: cloudfront.IKeyValueStore;
  /** The viewer-request function that checks basic auth, in basic-auth mode. */
  public readonly authFunction?: cloudfront.Function;

  constructor(scope: Construct, id: string, props: RepositoryDistributionProps) {
    super(scope, id);

    const indexCachePolicy = new cloudfront.CachePolicy(this, 'IndexCachePolicy', {
      comment: 'Helm repository index: revalidated with the origin on every request',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      // Caps any Cache-Control the object may carry; above 0 so CloudFront may compress (it does not when
      // caching is disabled outright).
      maxTtl: RepositoryDistribution.INDEX_MAX_TTL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const archiveCachePolicy = new cloudfront.CachePolicy(this, 'ArchiveCachePolicy', {
      comment: 'Helm chart archives and provenance files: cached long',
      defaultTtl: RepositoryDistribution.ARCHIVE_DEFAULT_TTL,
      minTtl: Duration.seconds(0),
      maxTtl: RepositoryDistribution.ARCHIVE_MAX_TTL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const securityHeadersBehavior: cloudfront.ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      // The repository serves YAML, JSON and archives, never a page: nothing may run or be framed.
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", override: true },
    };
    const archiveHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ArchiveHeadersPolicy', {
      comment: 'Helm chart repository: security headers',
      securityHeadersBehavior,
    });
    const indexHeaders = new cloudfront.ResponseHeadersPolicy(this, 'IndexHeadersPolicy', {
      comment: 'Helm chart repository index: security headers, and no caching downstream of CloudFront',
      securityHeadersBehavior,
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: 'no-cache', override: true }],
      },
    });

    const basicAuth = props.access.kind === RepositoryAccessKind.BASIC_AUTH;
    if (basicAuth) {
      const options = props.access.basicAuthOptions ?? {};
      this.keyValueStore =
        options.keyValueStore ??
        new cloudfront.KeyValueStore(this, 'Users', {
          comment: 'Helm chart repository basic-auth users: key user name, value hex sha256 of "user:password"',
        });
      this.authFunction = new cloudfront.Function(this, 'BasicAuthFunction', {
        comment: 'Helm chart repository: HTTP basic auth against the users KeyValueStore',
        code: cloudfront.FunctionCode.fromInline(basicAuthCode(options.realm ?? RepositoryAccess.DEFAULT_REALM)),
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        keyValueStore: this.keyValueStore,
      });
    }
    const functionAssociations = this.authFunction
      ? [{ function: this.authFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]
      : undefined;

    const origin = origins.S3BucketOrigin.withOriginAccessControl(props.bucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ],
    });
    const behavior = (cachePolicy: cloudfront.ICachePolicy, headers: cloudfront.IResponseHeadersPolicy) => ({
      origin,
      cachePolicy,
      responseHeadersPolicy: headers,
      compress: true,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      // With basic auth a plain-HTTP request would already have sent the password: fail it rather than
      // redirect, so a misconfigured client is noticed. Public repositories redirect.
      viewerProtocolPolicy: basicAuth
        ? cloudfront.ViewerProtocolPolicy.HTTPS_ONLY
        : cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      functionAssociations,
    });
    const indexBehavior = behavior(indexCachePolicy, indexHeaders);
    const archiveBehavior = behavior(archiveCachePolicy, archiveHeaders);

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Helm chart repository',
      // Anything not matched below (index files included) revalidates: never serve a stale index.
      defaultBehavior: indexBehavior,
      additionalBehaviors: {
        '*index.yaml': indexBehavior,
        '*index.json': indexBehavior,
        '*.tgz': archiveBehavior,
        '*.prov': archiveBehavior,
      },
      // A missing index.yaml answers 403 (CloudFront may not list the bucket); do not cache that answer, so
      // the first publish to a new repository is visible at once.
      errorResponses: [
        { httpStatus: 403, ttl: Duration.seconds(0) },
        { httpStatus: 404, ttl: Duration.seconds(0) },
      ],
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Only settable with a custom certificate; the *.cloudfront.net certificate's policy is fixed by CloudFront.
      minimumProtocolVersion: props.domain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      enableIpv6: true,
      priceClass: props.priceClass,
      domainNames: props.domain ? [props.domain.domainName] : undefined,
      certificate: props.domain?.certificate,
      webAclId: props.webAclArn,
      enableLogging: props.logBucket !== undefined,
      logBucket: props.logBucket,
      logFilePrefix: props.logBucket ? 'cloudfront/' : undefined,
    });

    this.acknowledgeNagFindings(props);
    if (props.separateEncryptionKey) allowCloudFrontToDecrypt(props.separateEncryptionKey);
    if (props.domain?.hostedZone) this.addAliasRecords(props.domain.domainName, props.domain.hostedZone);
  }

  private acknowledgeNagFindings(props: RepositoryDistributionProps): void {
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'A chart repository serves its consumers (clusters, CI, developers) wherever they run; restrict countries ' +
        'with a WAF web ACL (webAclArn) where needed.',
    );
    if (!props.webAclArn) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'Read-only static content behind Origin Access Control, no origin compute to protect; a web ACL is an ' +
          'owner choice (cost, rules) and attaches with webAclArn.',
      );
    }
    if (!props.logBucket) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR3',
        'CloudFront standard logging needs an ACL-enabled bucket, which the secure default (ACLs disabled) rules ' +
          'out; every request CloudFront forwards is in the chart bucket S3 server access logs. Pass ' +
          'distributionLogBucket to enable CloudFront logs.',
      );
    }
    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose security policy ' +
          'CloudFront fixes at TLSv1; with `domain` it uses TLSv1.2_2021.',
      );
    }
  }

  private addAliasRecords(domainName: string, zone: route53.IHostedZone): void {
    const target = route53.RecordTarget.fromAlias(new route53targets.CloudFrontTarget(this.distribution));
    new route53.ARecord(this, 'AliasRecord', { zone, recordName: domainName, target });
    new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone, recordName: domainName, target });
  }
}

/** The function source with the realm filled in. Throws if the source no longer has the marker line. */
export function basicAuthCode(realm: string): string {
  const source = basicAuthFunctionSource();
  if (!REALM_LINE.test(source)) {
    throw new Error('HelmChartRepository: the basic-auth function source has no `const REALM = ...;` line to fill in');
  }
  return source.replace(REALM_LINE, `const REALM = ${JSON.stringify(realm)};`);
}

/**
 * The same statement S3BucketOrigin adds for `bucket.encryptionKey`, for a key passed separately with a
 * brought bucket. The distribution is matched by account-wide wildcard because naming it would make the key
 * depend on the distribution that depends on the bucket that depends on the key (a cycle CloudFormation rejects).
 */
function allowCloudFrontToDecrypt(key: kms.IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudFrontOacToDecrypt',
      principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'AWS:SourceArn': Stack.of(key).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: '*',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}

/** CloudFront only accepts certificates from us-east-1. */
export function certificateRegion(certificate: acm.ICertificate): string | undefined {
  if (Token.isUnresolved(certificate.certificateArn)) return undefined;
  return Arn.split(certificate.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
}
