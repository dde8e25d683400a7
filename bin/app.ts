#!/usr/bin/env node
// The CDK app: one HelmChartRepository stack configured from cdk.json context (see bin/app-config.ts).
// Synthesizes with no AWS credentials and no network: no lookups; env-agnostic unless account/region are set.
import { App } from 'aws-cdk-lib';
import { readAppConfig } from './app-config';
import { HelmChartRepositoryStack } from './repository-stack';

const app = new App();
try {
  const config = readAppConfig(app.node.getAllContext());
  new HelmChartRepositoryStack(app, config.stackName, {
    config,
    description: 'Helm chart repository: S3 bucket, CloudFront, S3-event-driven index.yaml builder',
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
  });
  app.synth();
} catch (error) {
  // A configuration mistake deserves one clear line, not a stack trace.
  console.error(`cdk-helm-chart-repository: ${(error as Error).message}`);
  process.exit(1);
}
