import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { validateRealm } from './validation';

/** How consumers reach the repository. */
export enum RepositoryAccessKind {
  /** Anyone can read over HTTPS through CloudFront. */
  PUBLIC = 'PUBLIC',
  /** HTTPS through CloudFront, with HTTP basic auth checked at the edge by a CloudFront Function. */
  BASIC_AUTH = 'BASIC_AUTH',
  /** No CloudFront distribution: clients read `s3://` with IAM roles (`grantRead`, `addEksClient`, `addEc2Client`). */
  IAM_ONLY = 'IAM_ONLY',
}

/** Options for `RepositoryAccess.basicAuth()`. */
export interface BasicAuthOptions {
  /**
   * The CloudFront KeyValueStore holding the users: key = user name, value = lowercase hex SHA-256 of
   * `user:password`. Add or rotate a user with `aws cloudfront-keyvaluestore put-key` (see the README).
   *
   * @default - a new, empty KeyValueStore is created (nobody can read until a user is added)
   */
  readonly keyValueStore?: cloudfront.IKeyValueStore;

  /**
   * The realm in the `WWW-Authenticate` challenge.
   *
   * @default 'Helm chart repository'
   */
  readonly realm?: string;
}

/**
 * How consumers reach the repository: `RepositoryAccess.public()`, `RepositoryAccess.basicAuth()` or
 * `RepositoryAccess.iamOnly()`.
 */
export class RepositoryAccess {
  /** Anyone can read the repository over HTTPS. */
  public static public(): RepositoryAccess {
    return new RepositoryAccess(RepositoryAccessKind.PUBLIC);
  }

  /**
   * Readers authenticate with HTTP basic auth (`helm repo add --username --password`, Flux and Argo CD
   * secrets), checked at the edge against hashed credentials in a CloudFront KeyValueStore.
   */
  public static basicAuth(options: BasicAuthOptions = {}): RepositoryAccess {
    if (options.realm !== undefined) validateRealm('RepositoryAccess.basicAuth', 'realm', options.realm);
    return new RepositoryAccess(RepositoryAccessKind.BASIC_AUTH, options);
  }

  /** No CloudFront: only IAM principals granted read (for example with the helm-s3 plugin) reach the charts. */
  public static iamOnly(): RepositoryAccess {
    return new RepositoryAccess(RepositoryAccessKind.IAM_ONLY);
  }

  /** The default realm of the basic-auth challenge. */
  public static readonly DEFAULT_REALM = 'Helm chart repository';

  private constructor(
    /** Which access mode this is. */
    public readonly kind: RepositoryAccessKind,
    /** The basic-auth options, for `BASIC_AUTH` only. */
    public readonly basicAuthOptions?: BasicAuthOptions,
  ) {}

  /** True when the repository is served through CloudFront. */
  public get servedByCloudFront(): boolean {
    return this.kind !== RepositoryAccessKind.IAM_ONLY;
  }
}
