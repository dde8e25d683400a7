/**
 * Runs a plan the way publishers do: parallel real `aws s3 cp` and `aws s3 rm` processes (AWS CLI v1, which
 * honours AWS_ENDPOINT_URL). A delete or overwrite waits for its chart's upload. Records when each command
 * returned: publish-to-visible is measured from there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedObject, Step } from './plan';

export interface PublishLog {
  /** Key -> when its last `aws s3 cp` returned (ms). */
  readonly putReturnedAt: Map<string, number>;
  /** Key -> when its first `aws s3 cp` returned (ms). */
  readonly firstPutReturnedAt: Map<string, number>;
  /** Key -> when its `aws s3 rm` started (ms). */
  readonly deleteStartedAt: Map<string, number>;
  /** Key -> the bytes it holds at the end. */
  readonly finalObjects: Map<string, PlannedObject>;
  readonly deleted: Set<string>;
  commands: number;
  readonly durationMs: number;
}

export interface PublishOptions {
  readonly steps: readonly Step[];
  readonly bucket: string;
  readonly awsCli: string;
  /** AWS_ENDPOINT_URL and credentials. */
  readonly env: Record<string, string>;
  readonly concurrency: number;
  readonly workDir: string;
}

function aws(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cli, args, { env, timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`aws ${args.join(' ')}: ${stderr.trim() || error.message}`)) : resolve(),
    ),
  );
}

export async function publish(options: PublishOptions): Promise<PublishLog> {
  const started = Date.now();
  const env = { ...process.env, ...options.env };
  mkdirSync(options.workDir, { recursive: true });
  const log: Omit<PublishLog, 'durationMs'> = {
    putReturnedAt: new Map(),
    firstPutReturnedAt: new Map(),
    deleteStartedAt: new Map(),
    finalObjects: new Map(),
    deleted: new Set(),
    commands: 0,
  };
  const uploads = new Map<string, Promise<void>>();
  let fileNumber = 0;

  async function put(object: PlannedObject): Promise<void> {
    // Local files get plain names; the odd part is the S3 key.
    const file = join(options.workDir, `object-${fileNumber++}`);
    writeFileSync(file, object.body);
    await aws(options.awsCli, ['s3', 'cp', '--only-show-errors', file, `s3://${options.bucket}/${object.key}`], env);
    const now = Date.now();
    log.commands++;
    log.putReturnedAt.set(object.key, now);
    if (!log.firstPutReturnedAt.has(object.key)) log.firstPutReturnedAt.set(object.key, now);
    log.finalObjects.set(object.key, object);
  }

  async function run(step: Step): Promise<void> {
    switch (step.op) {
      case 'put':
        return put(step.object);
      case 'overwrite':
        await uploads.get(step.object.key);
        return put(step.object);
      case 'delete':
        await uploads.get(step.key);
        log.deleteStartedAt.set(step.key, Date.now());
        await aws(options.awsCli, ['s3', 'rm', '--only-show-errors', `s3://${options.bucket}/${step.key}`], env);
        log.commands++;
        log.deleted.add(step.key);
        log.finalObjects.delete(step.key);
    }
  }

  // A fixed pool of runners taking steps in plan order.
  let next = 0;
  const runner = async () => {
    while (next < options.steps.length) {
      const step = options.steps[next++];
      const done = run(step);
      if (step.op === 'put') uploads.set(step.object.key, done);
      await done;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, runner));
  return { ...log, durationMs: Date.now() - started };
}
