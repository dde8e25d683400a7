/**
 * The CDK app's settings, read from cdk.json context (or `cdk synth -c key=value`). Every key is optional; the
 * defaults deploy a working public repository with one repository folder, `stable/`. A bad value fails synth
 * with a message naming the key, what was expected and what was received.
 */

export type AccessSetting = 'public' | 'basic-auth' | 'iam-only';
export type ClientAccessSetting = 'read' | 'publish';

export interface EksClientSetting {
  readonly id: string;
  readonly kind: 'irsa' | 'pod-identity';
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly access: ClientAccessSetting;
  readonly prefixes?: string[];
  /** IRSA: the ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn?: string;
  /** Pod Identity: the cluster name. */
  readonly clusterName?: string;
}

export interface Ec2ClientSetting {
  readonly id: string;
  readonly access: ClientAccessSetting;
  readonly prefixes?: string[];
}

export interface DomainSetting {
  readonly domainName: string;
  readonly certificateArn: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
}

export interface AppConfig {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly repositoryPrefixes: string[];
  readonly access: AccessSetting;
  readonly basicAuthRealm?: string;
  readonly indexFormat: 'yaml' | 'json';
  readonly encryption: 's3' | 'kms';
  readonly existingBucketName?: string;
  readonly removalPolicy: 'retain' | 'destroy';
  readonly domain?: DomainSetting;
  readonly webAclArn?: string;
  readonly priceClass?: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  readonly eksClients: EksClientSetting[];
  readonly ec2Clients: Ec2ClientSetting[];
  readonly alarmEmail?: string;
}

/** Every context key this app reads starts with this. */
export const CONTEXT_PREFIX = 'helmRepository:';

/** Every key the app reads, without the prefix; any other key with the prefix is a mistake (a typo). */
export const CONTEXT_KEYS = [
  'stackName',
  'account',
  'region',
  'repositoryPrefixes',
  'access',
  'basicAuthRealm',
  'indexFormat',
  'encryption',
  'existingBucketName',
  'removalPolicy',
  'domainName',
  'certificateArn',
  'hostedZoneId',
  'hostedZoneName',
  'webAclArn',
  'priceClass',
  'eksClients',
  'ec2Clients',
  'alarmEmail',
] as const;

function problem(key: string, expected: string, value: unknown): never {
  throw new Error(
    `cdk.json context "${CONTEXT_PREFIX}${key}" is invalid: expected ${expected}, received ${JSON.stringify(value)}`,
  );
}

/** `-c key=value` always gives strings; accept JSON text where a list is expected. */
function parsedJson(key: string, value: unknown, expected: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return problem(key, `${expected} (as JSON when given with -c)`, value);
  }
}

function optionalString(
  key: string,
  value: unknown,
  pattern?: RegExp,
  expected = 'a non-empty string',
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) problem(key, expected, value);
  return value;
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    problem(key, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
  }
  return value as T;
}

function stringList(key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = parsedJson(key, value, 'a list of strings');
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) problem(key, 'a list of strings', value);
  return list as string[];
}

function objectList(key: string, value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = parsedJson(key, value, 'a list of objects');
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    problem(key, 'a list of objects', value);
  }
  return list as Record<string, unknown>[];
}

function unknownKeys(key: string, item: Record<string, unknown>, known: readonly string[]): void {
  const extra = Object.keys(item).filter((name) => !known.includes(name));
  if (extra.length > 0) problem(key, `only the keys ${known.join(', ')}`, extra);
}

/** Client ids become construct ids and output names: letters and digits. */
const CLIENT_ID = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const CLIENT_ID_EXPECTED = 'an id of letters and digits starting with a letter';

function clientCommon(key: string, item: Record<string, unknown>, seen: Set<string>) {
  const id = optionalString(`${key}[].id`, item.id, CLIENT_ID, CLIENT_ID_EXPECTED);
  if (id === undefined) return problem(`${key}[].id`, CLIENT_ID_EXPECTED, item.id);
  if (seen.has(id)) problem(`${key}[].id`, 'each id once across eksClients and ec2Clients', id);
  seen.add(id);
  return {
    id,
    access: oneOf(`${key}[${id}].access`, item.access, ['read', 'publish'] as const, 'read'),
    prefixes: stringList(`${key}[${id}].prefixes`, item.prefixes),
  };
}

const EKS_KEYS = ['id', 'kind', 'namespace', 'serviceAccount', 'access', 'prefixes', 'oidcProviderArn', 'clusterName'];
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

function eksClient(item: Record<string, unknown>, seen: Set<string>): EksClientSetting {
  unknownKeys('eksClients[]', item, EKS_KEYS);
  const common = clientCommon('eksClients', item, seen);
  const at = `eksClients[${common.id}]`;
  const kind = oneOf(`${at}.kind`, item.kind, ['irsa', 'pod-identity'] as const, 'pod-identity');
  const namespace = optionalString(`${at}.namespace`, item.namespace);
  if (namespace === undefined) return problem(`${at}.namespace`, 'the Kubernetes namespace', item.namespace);
  const serviceAccount = optionalString(`${at}.serviceAccount`, item.serviceAccount);
  if (serviceAccount === undefined) {
    return problem(`${at}.serviceAccount`, 'the Kubernetes service account', item.serviceAccount);
  }
  const oidcProviderArn = optionalString(
    `${at}.oidcProviderArn`,
    item.oidcProviderArn,
    OIDC_PROVIDER_ARN,
    'an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)',
  );
  const clusterName = optionalString(`${at}.clusterName`, item.clusterName, CLUSTER_NAME, 'an EKS cluster name');
  if (kind === 'irsa' && !oidcProviderArn) {
    problem(`${at}.oidcProviderArn`, 'the OIDC provider ARN for kind "irsa"', item.oidcProviderArn);
  }
  if (kind === 'pod-identity' && !clusterName) {
    problem(`${at}.clusterName`, 'the cluster name for kind "pod-identity"', item.clusterName);
  }
  return { ...common, kind, namespace, serviceAccount, oidcProviderArn, clusterName };
}

function domain(
  get: (key: 'domainName' | 'certificateArn' | 'hostedZoneId' | 'hostedZoneName') => unknown,
): DomainSetting | undefined {
  const domainName = optionalString('domainName', get('domainName'));
  const certificateArn = optionalString(
    'certificateArn',
    get('certificateArn'),
    /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
    'an ACM certificate ARN in us-east-1 (CloudFront only uses those)',
  );
  const hostedZoneId = optionalString(
    'hostedZoneId',
    get('hostedZoneId'),
    /^Z[A-Z0-9]{1,31}$/,
    'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
  );
  const hostedZoneName = optionalString('hostedZoneName', get('hostedZoneName'));
  if (domainName === undefined && certificateArn !== undefined) {
    problem('domainName', 'a domain name with certificateArn', domainName);
  }
  if (domainName !== undefined && certificateArn === undefined) {
    problem('certificateArn', `a certificate for ${domainName}`, certificateArn);
  }
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    problem(hostedZoneId ? 'hostedZoneName' : 'hostedZoneId', 'hostedZoneId and hostedZoneName together', null);
  }
  if (hostedZoneId !== undefined && domainName === undefined) {
    problem('domainName', 'a domain name when a hosted zone is given', domainName);
  }
  return domainName && certificateArn ? { domainName, certificateArn, hostedZoneId, hostedZoneName } : undefined;
}

/**
 * Reads and checks every setting from the app's context (`app.node.getAllContext()`, or a map in tests).
 * Throws an Error whose message says which key is wrong and why.
 */
export function readAppConfig(context: Readonly<Record<string, unknown>>): AppConfig {
  for (const key of Object.keys(context)) {
    const name = key.slice(CONTEXT_PREFIX.length);
    if (key.startsWith(CONTEXT_PREFIX) && !(CONTEXT_KEYS as readonly string[]).includes(name)) {
      problem(name, `a known key (${CONTEXT_KEYS.join(', ')})`, context[key]);
    }
  }
  const get = (key: (typeof CONTEXT_KEYS)[number]) => context[`${CONTEXT_PREFIX}${key}`];
  const seen = new Set<string>();
  const eksClients = objectList('eksClients', get('eksClients')).map((item) => eksClient(item, seen));
  const ec2Clients = objectList('ec2Clients', get('ec2Clients')).map((item): Ec2ClientSetting => {
    unknownKeys('ec2Clients[]', item, ['id', 'access', 'prefixes']);
    return clientCommon('ec2Clients', item, seen);
  });
  const priceClasses = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

  return {
    stackName:
      optionalString('stackName', get('stackName'), /^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name') ??
      'HelmChartRepository',
    account: optionalString('account', get('account'), /^\d{12}$/, 'a 12-digit AWS account id'),
    region: optionalString('region', get('region'), /^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
    repositoryPrefixes: stringList('repositoryPrefixes', get('repositoryPrefixes')) ?? ['stable/'],
    access: oneOf('access', get('access'), ['public', 'basic-auth', 'iam-only'] as const, 'public'),
    basicAuthRealm: optionalString('basicAuthRealm', get('basicAuthRealm')),
    indexFormat: oneOf('indexFormat', get('indexFormat'), ['yaml', 'json'] as const, 'yaml'),
    encryption: oneOf('encryption', get('encryption'), ['s3', 'kms'] as const, 's3'),
    existingBucketName: optionalString(
      'existingBucketName',
      get('existingBucketName'),
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name',
    ),
    removalPolicy: oneOf('removalPolicy', get('removalPolicy'), ['retain', 'destroy'] as const, 'retain'),
    domain: domain(get),
    webAclArn: optionalString('webAclArn', get('webAclArn')),
    priceClass:
      get('priceClass') === undefined
        ? undefined
        : oneOf('priceClass', get('priceClass'), priceClasses, 'PriceClass_100'),
    eksClients,
    ec2Clients,
    alarmEmail: optionalString('alarmEmail', get('alarmEmail'), /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an e-mail address'),
  };
}
