/**
 * Loads the bundled indexer Lambda (the very file the construct deploys) into this process, pointed at the
 * local S3 endpoint through the environment variables it reads in Lambda, and invokes it like Lambda would.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

export type IndexerHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface IndexerEnvironment {
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly indexFormat: 'yaml' | 'json';
}

/** Sets the handler's environment, then requires the bundle (it creates its S3 client at load time). */
export function loadIndexer(bundlePath: string, env: IndexerEnvironment): IndexerHandler {
  if (!existsSync(bundlePath)) {
    throw new Error(`the indexer bundle ${bundlePath} does not exist; run "npm run build" first (npm start does)`);
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: env.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: env.accessKeyId,
    AWS_SECRET_ACCESS_KEY: env.secretAccessKey,
    AWS_REGION: 'us-east-1',
    BUCKET_NAME: env.bucket,
    INDEX_FORMAT: env.indexFormat,
    POWERTOOLS_SERVICE_NAME: 'chart-repo-local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN', // rejections and failures are all local mode reports from the logs
  });
  // Settings of a deployed indexer that may linger in the user's shell: local mode serves every folder,
  // with relative urls, with the local key pair only.
  for (const name of ['REPOSITORY_PREFIXES', 'BASE_URL', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete process.env[name];
  hideSdkNodeVersionWarning();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(bundlePath) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${bundlePath} does not export a handler function`);
  return module.handler as IndexerHandler;
}

/**
 * The AWS SDK warns at load time that its 2027 releases will need Node 22. That is about the SDK version the
 * bundle was built with, not something a person running a local repository can act on; other warnings still show.
 */
function hideSdkNodeVersionWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'NodeVersionSupportWarning' || warning.message.startsWith('NodeVersionSupportWarning')) return;
    for (const listener of listeners) listener(warning);
  });
}

/** A Lambda context good enough for the handler: a name, a request id, and 15 minutes to run. */
export function localContext(): Record<string, unknown> {
  const deadline = Date.now() + 15 * 60 * 1000;
  return {
    functionName: 'chart-repo-local-indexer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:chart-repo-local-indexer',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Invokes the handler; throws when it failed or reports repositories it could not update (to be retried). */
export async function invokeIndexer(handler: IndexerHandler, event: unknown): Promise<unknown> {
  const result = await handler(event, localContext());
  const failed = (result as { failedRepositories?: unknown } | undefined)?.failedRepositories;
  if (typeof failed === 'number' && failed > 0) {
    throw new Error(`the indexer could not update ${failed} repositor${failed === 1 ? 'y' : 'ies'}`);
  }
  return result;
}
