/**
 * The indexer Lambda: a thin adapter. It classifies the payload (SQS batch of S3 notifications, direct S3 event,
 * or reindex request), groups chart keys by repository, and hands each repository to the update logic, which
 * asks S3 what is true now and writes the index conditionally. SQS input gets a partial batch response.
 *
 * Env: BUCKET_NAME, REPOSITORY_PREFIXES, INDEX_FORMAT (yaml|json), BASE_URL, S3_FORCE_PATH_STYLE=true,
 * READ_CONCURRENCY, INDEX_WRITE_MAX_ATTEMPTS, S3_SOCKET_TIMEOUT_MS; endpoint from AWS_ENDPOINT_URL(_S3).
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { groupByRepository, type RepositoryGroup } from './batch';
import { ChartObserver } from './chart-observer';
import { forEachLimited } from './concurrency';
import { readConfig, type IndexerConfig } from './config';
import { CountingStore, emptyCounts } from './counting-store';
import { classifyInvocation, type ObjectHint, type QueueMessage, type ReindexRequest } from './events';
import type { ObjectStore } from './object-store';
import { reindexFolder, reindexTree, type ReindexSummary } from './reindex';
import { repositoryBaseUrl } from './repository-prefix';
import { S3ObjectStore, s3ClientConfig } from './s3-store';
import { syncKeys } from './sync-keys';
import { Telemetry } from './telemetry';
import { IndexUnreadableError, type RepositoryTarget, type UpdateResult } from './update-repository';

// Created once per container and reused across invocations (connection reuse).
const s3Store = new S3ObjectStore(new S3Client(s3ClientConfig(process.env)));
const telemetry = new Telemetry();

/** Repositories of one batch updated at once. */
const REPOSITORY_CONCURRENCY = 4;
/** Time kept in reserve before the Lambda timeout: no new write attempt starts after that. */
const DEADLINE_MARGIN_MS = 5_000;

export interface EventSummary {
  readonly repositories: number;
  readonly failedRepositories: number;
}

export const handler = async (
  event: unknown,
  context?: Context,
): Promise<SQSBatchResponse | EventSummary | ReindexSummary> => {
  const started = Date.now();
  const requests = emptyCounts();
  const store = new CountingStore(s3Store, requests);
  if (context !== undefined) telemetry.logger.addContext(context);
  try {
    const config = readConfig(process.env);
    const deadline =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? started + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS
        : undefined;
    const invocation = classifyInvocation(event);
    const run = { store, config, deadline };
    switch (invocation.kind) {
      case 'sqs':
        return await handleMessages(invocation.messages, run);
      case 's3':
        return await handleHints(invocation.hints, run);
      case 'reindex':
        return await handleReindex(invocation.request, run);
    }
  } catch (error) {
    telemetry.logger.error('invocation failed', error as Error);
    throw error;
  } finally {
    telemetry.logger.info('invocation done', { durationMs: Date.now() - started, s3Requests: requests });
    telemetry.flush(Date.now() - started);
  }
};

interface Run {
  readonly store: ObjectStore;
  readonly config: IndexerConfig;
  readonly deadline?: number;
}

async function handleMessages(messages: readonly QueueMessage[], run: Run): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  for (const message of messages) {
    if (message.error !== undefined) {
      failed.add(message.messageId);
      telemetry.logger.error('message is not an S3 notification; reporting it failed so it ends in the DLQ', {
        messageId: message.messageId,
        reason: message.error,
      });
    }
  }
  const readable = messages.filter((message) => message.error === undefined);
  for (const group of await updateGroups(readable, run)) {
    for (const id of group.messageIds) failed.add(id);
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

async function handleHints(hints: readonly ObjectHint[], run: Run): Promise<EventSummary> {
  const failedGroups = await updateGroups([{ hints }], run);
  const repositories = groupByRepository([{ hints }], run.config.allowList).groups.length;
  if (failedGroups.length > 0) {
    // A direct (asynchronous) invocation is retried by Lambda only if it throws.
    throw new Error(`could not update ${failedGroups.map((g) => `s3://${g.bucket}/${g.prefix}`).join(', ')}`);
  }
  return { repositories, failedRepositories: 0 };
}

/** Updates every repository the messages touch; returns the groups that failed. */
async function updateGroups(
  messages: readonly { messageId?: string; hints: readonly ObjectHint[] }[],
  run: Run,
): Promise<RepositoryGroup[]> {
  const { groups, ignoredKeys } = groupByRepository(messages, run.config.allowList);
  if (ignoredKeys > 0)
    telemetry.logger.debug('keys ignored (not *.tgz or outside REPOSITORY_PREFIXES)', { ignoredKeys });
  const failed: RepositoryGroup[] = [];
  await forEachLimited(groups, REPOSITORY_CONCURRENCY, async (group) => {
    try {
      const result = await updateGroup(group, run);
      telemetry.logger.info('repository updated', {
        bucket: group.bucket,
        prefix: group.prefix,
        keys: group.keys.length,
        ...result,
      });
    } catch (error) {
      failed.push(group);
      telemetry.logger.error('repository not updated; its messages are reported failed and will be retried', {
        bucket: group.bucket,
        prefix: group.prefix,
        keys: group.keys,
        error: error as Error,
      });
    }
  });
  return failed;
}

/**
 * Applies the group's keys. An index that cannot be parsed is rebuilt from the folder's listing (a reindex of
 * that one folder): it is worthless to Helm as it is, and every chart it should list is in the bucket.
 */
async function updateGroup(group: RepositoryGroup, run: Run): Promise<UpdateResult> {
  const target = repositoryTarget(group.bucket, group.prefix, run);
  const charts = chartObserver(group.bucket, group.prefix, run);
  try {
    return await syncKeys(target, group.keys, charts, { readConcurrency: run.config.readConcurrency });
  } catch (error) {
    if (!(error instanceof IndexUnreadableError)) throw error;
    telemetry.logger.warn('index unreadable; rebuilding this repository from the charts in the bucket', {
      bucket: group.bucket,
      prefix: group.prefix,
      reason: error.message,
    });
    return await reindexFolder(target, charts, { deep: false, readConcurrency: run.config.readConcurrency });
  }
}

async function handleReindex(request: ReindexRequest, run: Run): Promise<ReindexSummary> {
  const bucket = request.bucket ?? run.config.defaultBucket;
  if (bucket === undefined) {
    throw new Error(
      'reindex request names no bucket and BUCKET_NAME is not set; expected {"action":"reindex","bucket":"..."}',
    );
  }
  const summary = await reindexTree(
    { prefix: request.prefix, allowList: run.config.allowList },
    (prefix) => ({ target: repositoryTarget(bucket, prefix, run), charts: chartObserver(bucket, prefix, run) }),
    { deep: request.deep, readConcurrency: run.config.readConcurrency },
  );
  telemetry.logger.info('reindex done', { bucket, prefix: request.prefix ?? '(all)', deep: request.deep, ...summary });
  if (summary.failed.length > 0) {
    throw new Error(
      `reindex of s3://${bucket} failed for ${summary.failed.length} repositories: ` +
        summary.failed.map((f) => `${f.prefix || '(root)'}: ${f.error}`).join('; '),
    );
  }
  return summary;
}

function repositoryTarget(bucket: string, prefix: string, run: Run): RepositoryTarget {
  return {
    store: run.store,
    bucket,
    prefix,
    format: run.config.format,
    retry: run.config.retry,
    observer: telemetry,
    deadline: run.deadline,
  };
}

function chartObserver(bucket: string, prefix: string, run: Run): ChartObserver {
  return new ChartObserver({ store: run.store, bucket, baseUrl: repositoryBaseUrl(run.config.baseUrl, prefix) });
}
