/**
 * Integration test in aws-cdk integ-tests style: deploys a public repository, publishes a chart with the AWS
 * CLI and reads the index and the chart through CloudFront. Needs an AWS account; jest never runs it (it is
 * not a *.test.ts). How to run it, and the helm check that follows: test/integ/README.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { HelmChartRepository } from '../../lib';
import { chartFiles, gzip, tar } from '../support/chart-archive';

const CHART = 'integ-chart';
const VERSION = '0.1.0';

const app = new App();
const stack = new Stack(app, 'HelmChartRepositoryInteg');
const repo = new HelmChartRepository(stack, 'Charts', { repositoryPrefixes: ['stable/'] });

// The chart to publish, written at synth time: a minimal valid chart archive.
const chartDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-chart-'));
fs.writeFileSync(
  path.join(chartDir, `${CHART}-${VERSION}.tgz`),
  gzip(tar(chartFiles(`apiVersion: v2\nname: ${CHART}\nversion: ${VERSION}\ndescription: integ test chart\n`, CHART))),
);

// BucketDeployment's handler publishes with the AWS CLI (`aws s3 sync`), as a publisher would with `aws s3 cp`.
// It runs after the repository exists, so the S3 notification reaches the indexer.
const publish = new s3deploy.BucketDeployment(stack, 'PublishChart', {
  sources: [s3deploy.Source.asset(chartDir)],
  destinationBucket: repo.bucket,
  destinationKeyPrefix: 'stable/',
  prune: false,
  retainOnDelete: true,
});
publish.node.addDependency(repo);

new CfnOutput(stack, 'RepositoryUrl', { value: repo.repositoryUrl('stable/') });
new CfnOutput(stack, 'BucketName', { value: repo.bucket.bucketName });

const integ = new IntegTest(app, 'HelmChartRepositoryIntegTest', {
  testCases: [stack],
  diffAssets: false,
});

const base = repo.repositoryUrl('stable/');
// The indexer writes stable/index.yaml within seconds; CloudFront revalidates it on every request.
integ.assertions
  .httpApiCall(`${base}/index.yaml`)
  .expect(
    ExpectedResult.objectLike({
      status: 200,
      body: Match.stringLikeRegexp(`name: ${CHART}[\\s\\S]*version: ${VERSION}`),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });

integ.assertions
  .httpApiCall(`${base}/${CHART}-${VERSION}.tgz`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) });

// Nobody reaches the bucket around CloudFront.
integ.assertions
  .httpApiCall(`https://${repo.bucket.bucketRegionalDomainName}/stable/index.yaml`)
  .expect(ExpectedResult.objectLike({ status: 403 }));
