import { Duration, Token } from 'aws-cdk-lib';

/**
 * Up-front checks of construct props. Each message names the prop, what was wrong, what was expected and what
 * was received. Values that are unresolved tokens (known only at deploy time) are skipped.
 */

function received(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `an object of type ${value.constructor?.name ?? 'Object'}`;
  }
  return JSON.stringify(value);
}

function fail(owner: string, prop: string, problem: string, expected: string, value: unknown): never {
  throw new Error(`${owner}: ${prop} ${problem}; expected ${expected}, received ${received(value)}`);
}

/** Characters a repository prefix may hold: S3's safe key characters, so URLs need no encoding. */
const PREFIX_PATTERN = /^(?:[A-Za-z0-9!_.*'()-]+\/)+$/;

/**
 * A repository prefix is a folder: one or more path segments, each followed by '/', without a leading '/',
 * without empty, '.' or '..' segments. The root of the bucket is not a prefix (pass no prefix instead).
 */
export function validatePrefix(owner: string, prop: string, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  const expected =
    "a folder such as 'stable/' or 'teams/a/' (segments of letters, digits and !_.*'()- each ending in '/')";
  if (!PREFIX_PATTERN.test(prefix)) fail(owner, prop, 'is not a repository prefix', expected, prefix);
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    fail(owner, prop, "has a '.' or '..' segment", expected, prefix);
  }
  if (Buffer.byteLength(prefix) > 512) fail(owner, prop, 'is longer than 512 bytes', 'a shorter prefix', prefix);
}

export function validatePrefixes(owner: string, prop: string, prefixes: readonly string[] | undefined): void {
  if (prefixes === undefined) return;
  if (prefixes.length === 0) {
    fail(owner, prop, 'is empty', 'at least one prefix, or leave it out to allow every folder', prefixes);
  }
  const seen = new Set<string>();
  prefixes.forEach((prefix, i) => {
    validatePrefix(owner, `${prop}[${i}]`, prefix);
    if (seen.has(prefix)) fail(owner, `${prop}[${i}]`, 'is listed twice', 'each prefix once', prefix);
    seen.add(prefix);
  });
}

export function validateIntegerRange(
  owner: string,
  prop: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(owner, prop, 'is out of range', `an integer from ${min} to ${max}`, value);
  }
}

export function validateDurationRange(
  owner: string,
  prop: string,
  value: Duration | undefined,
  min: Duration,
  max: Duration,
): void {
  if (value === undefined || value.isUnresolved()) return;
  const seconds = value.toSeconds();
  if (seconds < min.toSeconds() || seconds > max.toSeconds()) {
    fail(
      owner,
      prop,
      'is out of range',
      `from ${min.toHumanString()} to ${max.toHumanString()}`,
      value.toHumanString(),
    );
  }
}

/** A DNS name as CloudFront accepts for an alternate domain name (no wildcard: a repository has one host). */
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function validateDomainName(owner: string, prop: string, domainName: string): void {
  if (Token.isUnresolved(domainName)) return;
  if (!DOMAIN_PATTERN.test(domainName)) {
    fail(owner, prop, 'is not a domain name', "a lower-case DNS name such as 'charts.example.com'", domainName);
  }
}

/** A WAF web ACL for CloudFront lives in us-east-1 with scope CLOUDFRONT (wafv2 ARN, not the classic id). */
const WEB_ACL_ARN_PATTERN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;

export function validateWebAclArn(owner: string, prop: string, arn: string): void {
  if (Token.isUnresolved(arn)) return;
  if (!WEB_ACL_ARN_PATTERN.test(arn)) {
    fail(
      owner,
      prop,
      'is not a CloudFront-scoped WAFv2 web ACL ARN',
      "'arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID'",
      arn,
    );
  }
}

/** The realm goes into a quoted WWW-Authenticate parameter: printable ASCII without quotes or backslashes. */
export function validateRealm(owner: string, prop: string, realm: string): void {
  if (!/^[\x20-\x7e]{1,100}$/.test(realm) || /["\\]/.test(realm)) {
    fail(
      owner,
      prop,
      'cannot be used as a basic-auth realm',
      'printable ASCII, 1 to 100 characters, no " or \\',
      realm,
    );
  }
}

/** Kubernetes names: a DNS-1123 label for a namespace, a DNS-1123 subdomain for a service account. */
export function validateKubernetesName(owner: string, prop: string, value: string, kind: 'label' | 'subdomain'): void {
  if (Token.isUnresolved(value)) return;
  const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
  const subdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const ok = (kind === 'label' ? label : subdomain).test(value);
  if (!ok) {
    const expected =
      kind === 'label'
        ? 'a DNS-1123 label: lower-case letters, digits and -, at most 63 characters'
        : 'a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253 characters';
    fail(owner, prop, 'is not a valid Kubernetes name', expected, value);
  }
}

/** Throws when a prop is set that only applies to a bucket this construct creates. */
export function rejectWithBroughtBucket(owner: string, props: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(props)) {
    if (value !== undefined) {
      fail(
        owner,
        name,
        'only applies to a bucket this construct creates, but `bucket` was given',
        `${name} left out (configure the brought bucket itself)`,
        value,
      );
    }
  }
}
