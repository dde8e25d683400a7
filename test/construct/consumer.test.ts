/**
 * The construct as a consumer gets it: `require('cdk-helm-chart-repository')` resolves package.json `main`,
 * the compiled dist/lib (npm run build), which must find the bundled indexer from dist/lib as well.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

const packageDir = path.join(__dirname, '..', '..');
// Typed from the sources; loaded from the package entry point, as node resolves it for a consumer.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a consumer's require of the package root
const charts: typeof import('../../lib') = require(packageDir);

class PlatformChartsStack extends Stack {
  public readonly repository: InstanceType<typeof charts.HelmChartRepository>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.repository = new charts.HelmChartRepository(this, 'Charts', {
      repositoryPrefixes: ['stable/'],
      access: charts.RepositoryAccess.basicAuth(),
    });
    const ci = new iam.Role(this, 'CiRole', { assumedBy: new iam.AccountPrincipal('111122223333') });
    this.repository.grantPublish(ci, 'stable/');
    this.repository.addEc2Client('Nodes', { access: charts.ClientAccess.READ });
    new CfnOutput(this, 'RepositoryUrl', { value: this.repository.repositoryUrl('stable/') });
  }
}

describe('consumer view of the package', () => {
  test('the package entry point is the compiled dist/lib', () => {
    expect(require.resolve(packageDir)).toBe(path.join(packageDir, 'dist', 'lib', 'index.js'));
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    expect(manifest.types).toBe('dist/lib/index.d.ts');
    expect(manifest.files).toContain('dist/');
    expect(manifest.peerDependencies).toHaveProperty('aws-cdk-lib');
  });

  test('a stack built from the entry point synthesizes, with the bundled indexer staged as its asset', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-cdk-out-'));
    const app = new App({ outdir });
    const stack = new PlatformChartsStack(app, 'PlatformCharts');
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      Outputs: Record<string, unknown>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::S3::Bucket',
        'AWS::SQS::Queue',
        'AWS::Lambda::Function',
        'AWS::CloudFront::Distribution',
        'AWS::CloudFront::Function',
        'AWS::CloudFront::KeyValueStore',
        'AWS::IAM::InstanceProfile',
      ]),
    );
    expect(template.Outputs).toHaveProperty('RepositoryUrl');

    // The indexer's staged asset is the bundle: index.js exporting `handler`.
    const indexer = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler',
    );
    const key = String((indexer!.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
    const staged = path.join(outdir, `asset.${key}`, 'index.js');
    expect(fs.readFileSync(staged)).toEqual(
      fs.readFileSync(path.join(packageDir, 'dist', 'bundle', 'indexer', 'index.js')),
    );
  });
});
