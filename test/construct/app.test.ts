import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { readAppConfig } from '../../bin/app-config';
import { HelmChartRepositoryStack } from '../../bin/repository-stack';
import { testApp } from './helpers';

const packageDir = path.join(__dirname, '..', '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

function configFrom(context: Record<string, unknown>) {
  return readAppConfig(context);
}

describe('app configuration from cdk.json context', () => {
  test('the defaults in cdk.json describe a public repository with stable/', () => {
    expect(configFrom(cdkJson.context)).toEqual({
      stackName: 'HelmChartRepository',
      account: undefined,
      region: undefined,
      repositoryPrefixes: ['stable/'],
      access: 'public',
      basicAuthRealm: undefined,
      indexFormat: 'yaml',
      encryption: 's3',
      existingBucketName: undefined,
      removalPolicy: 'retain',
      domain: undefined,
      webAclArn: undefined,
      priceClass: undefined,
      eksClients: [],
      ec2Clients: [],
      alarmEmail: undefined,
    });
  });

  test('a misspelt key is refused rather than ignored', () => {
    expect(() => configFrom({ 'helmRepository:acess': 'basic-auth' })).toThrow(
      /^cdk\.json context "helmRepository:acess" is invalid: expected a known key \(stackName, account, .*alarmEmail\), received "basic-auth"$/,
    );
  });

  test('lists given with -c arrive as JSON text and are parsed', () => {
    const config = configFrom({
      'helmRepository:repositoryPrefixes': '["stable/","incubator/"]',
      'helmRepository:ec2Clients': '[{"id":"Builders","access":"publish"}]',
    });
    expect(config.repositoryPrefixes).toEqual(['stable/', 'incubator/']);
    expect(config.ec2Clients).toEqual([{ id: 'Builders', access: 'publish', prefixes: undefined }]);
  });

  test.each([
    [
      { access: 'everyone' },
      '"helmRepository:access" is invalid: expected one of "public", "basic-auth", "iam-only", received "everyone"',
    ],
    [
      { repositoryPrefixes: 'stable/' },
      '"helmRepository:repositoryPrefixes" is invalid: expected a list of strings (as JSON when given with -c), received "stable/"',
    ],
    [
      { repositoryPrefixes: [1] },
      '"helmRepository:repositoryPrefixes" is invalid: expected a list of strings, received [1]',
    ],
    [{ indexFormat: 'xml' }, '"helmRepository:indexFormat" is invalid: expected one of "yaml", "json", received "xml"'],
    [{ account: '1234' }, '"helmRepository:account" is invalid: expected a 12-digit AWS account id, received "1234"'],
    [
      { domainName: 'charts.example.com' },
      '"helmRepository:certificateArn" is invalid: expected a certificate for charts.example.com, received undefined',
    ],
    [
      { domainName: 'charts.example.com', certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' },
      '"helmRepository:certificateArn" is invalid: expected an ACM certificate ARN in us-east-1 (CloudFront only uses those)',
    ],
    [{ alarmEmail: 'ops' }, '"helmRepository:alarmEmail" is invalid: expected an e-mail address, received "ops"'],
    [
      { eksClients: [{ id: 'Flux', kind: 'irsa', namespace: 'flux-system', serviceAccount: 'sc' }] },
      '"helmRepository:eksClients[Flux].oidcProviderArn" is invalid: expected the OIDC provider ARN for kind "irsa", received undefined',
    ],
    [
      { eksClients: [{ id: 'Ci', namespace: 'ci', serviceAccount: 'p' }] },
      '"helmRepository:eksClients[Ci].clusterName" is invalid: expected the cluster name for kind "pod-identity", received undefined',
    ],
    [
      { eksClients: [{ id: 'Ci', clusterName: 'c', namespace: 'ci', serviceAccount: 'p', role: 'x' }] },
      '"helmRepository:eksClients[]" is invalid: expected only the keys id, kind, namespace, serviceAccount, access, prefixes, oidcProviderArn, clusterName, received ["role"]',
    ],
    [
      { ec2Clients: [{ id: 'A' }, { id: 'A' }] },
      '"helmRepository:ec2Clients[].id" is invalid: expected each id once across eksClients and ec2Clients, received "A"',
    ],
    [
      { ec2Clients: [{ id: 'my-role' }] },
      '"helmRepository:ec2Clients[].id" is invalid: expected an id of letters and digits starting with a letter, received "my-role"',
    ],
    [
      { ec2Clients: [{ id: 'A', access: 'write' }] },
      '"helmRepository:ec2Clients[A].access" is invalid: expected one of "read", "publish", received "write"',
    ],
  ])('bad %j fails with a message naming the key', (settings, message) => {
    const context = Object.fromEntries(
      Object.entries(settings).map(([key, value]) => [`helmRepository:${key}`, value]),
    );
    expect(() => configFrom(context)).toThrow(`cdk.json context ${message}`);
  });
});

describe('app stack', () => {
  test('outputs the bucket, repository URL, publish and helm commands, and client role ARNs', () => {
    const config = configFrom({
      'helmRepository:access': 'basic-auth',
      'helmRepository:repositoryPrefixes': ['stable/', 'teams/platform/'],
      'helmRepository:eksClients': [
        { id: 'Ci', clusterName: 'platform', namespace: 'ci', serviceAccount: 'publisher', access: 'publish' },
      ],
      'helmRepository:ec2Clients': [{ id: 'Builders' }],
    });
    const template = Template.fromStack(new HelmChartRepositoryStack(testApp(), 'Outputs', { config }));
    const outputs = template.toJSON().Outputs as Record<string, { Description?: string; Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'BucketName',
        'BuildersInstanceProfileArn',
        'BuildersRoleArn',
        'CiRoleArn',
        'DistributionId',
        'HelmRepoAddCommand1',
        'HelmRepoAddCommand2',
        'PublishCommand1',
        'PublishCommand2',
        'RepositoryUrl1',
        'RepositoryUrl2',
        'UsersKeyValueStoreArn',
      ].sort(),
    );
    const text = (name: string) => JSON.stringify(outputs[name].Value);
    expect(text('PublishCommand2')).toMatch(/aws s3 cp mychart-1\.0\.0\.tgz s3:\/\/.*\/teams\/platform\//);
    expect(text('HelmRepoAddCommand1')).toMatch(
      /helm repo add stable https:\/\/.*\/stable --username USER --password-stdin/,
    );
    expect(text('RepositoryUrl2')).toMatch(/https:\/\/.*\/teams\/platform"/);
  });

  test('an existing bucket is brought, not created', () => {
    const config = configFrom({ 'helmRepository:existingBucketName': 'my-existing-charts' });
    const template = Template.fromStack(new HelmChartRepositoryStack(testApp(), 'Brought', { config }));
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasOutput('BucketName', { Value: 'my-existing-charts' });
  });

  test('IAM only: the URL is s3:// and no distribution is made', () => {
    const config = configFrom({ 'helmRepository:access': 'iam-only' });
    const template = Template.fromStack(new HelmChartRepositoryStack(testApp(), 'IamOnly', { config }));
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(JSON.stringify(template.toJSON().Outputs.RepositoryUrl1.Value)).toMatch(/s3:\/\/.*\/stable/);
  });
});

describe('the compiled app, as `cdk synth` runs it (no credentials, no network)', () => {
  const run = promisify(execFile);
  const appEntry = path.join(packageDir, 'dist', 'bin', 'app.js');

  test('cdk.json runs the build and then the compiled app', () => {
    expect(cdkJson.app).toBe('npm run --silent build && node dist/bin/app.js');
  });

  test('synthesizes the stack into CDK_OUTDIR', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-synth-'));
    // No AWS credentials or profile: synth must not need them.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(cdkJson.context),
    };
    await run(process.execPath, [appEntry], { cwd: packageDir, env });
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'HelmChartRepository.template.json'), 'utf8'));
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['RepositoryUrl1', 'PublishCommand1']));
  }, 120_000);

  test('a bad context value fails synth with one clear line', async () => {
    const env = {
      ...process.env,
      CDK_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'app-bad-')),
      CDK_CONTEXT_JSON: JSON.stringify({ 'helmRepository:access': 'everyone' }),
    };
    await expect(run(process.execPath, [appEntry], { cwd: packageDir, env })).rejects.toMatchObject({
      code: 1,
      stderr:
        'cdk-helm-chart-repository: cdk.json context "helmRepository:access" is invalid: expected one of "public", "basic-auth", "iam-only", received "everyone"\n',
    });
  }, 120_000);
});
