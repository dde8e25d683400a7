/**
 * The HTTP endpoint radosgw pushes bucket notifications to, and the setup that points a bucket at it.
 *
 * Non-persistent topics only (REAL-S3.md gotcha 3: persistent ones stop delivering after one failed push).
 * Those push synchronously: the S3 request that caused the event waits for our 200, so by the time
 * `aws s3 cp` returns, its event is here. Each POST carries exactly one record.
 */
import { PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RadosgwRecord } from './aws-s3-event';

export interface EventReceiver {
  readonly url: string;
  /** Records received so far. */
  readonly received: () => number;
  close(): Promise<void>;
}

/** Starts the push endpoint; `onRecord` is called for each record, in arrival order. */
export async function startEventReceiver(onRecord: (record: RadosgwRecord) => void): Promise<EventReceiver> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const document = JSON.parse(text) as { Records?: RadosgwRecord[] };
        for (const record of document.Records ?? []) {
          received++;
          onRecord(record);
        }
        res.writeHead(200).end();
      } catch (error) {
        process.stderr.write(`event receiver: unreadable push (${(error as Error).message}): ${text.slice(0, 200)}\n`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}

export interface NotificationSetup {
  readonly s3: S3Client;
  /** The `aws` executable (CLI v1): the SDK has no SNS client here, and radosgw speaks the SNS API. */
  readonly awsCli: string;
  /** Environment with AWS_ENDPOINT_URL and credentials of the radosgw cluster. */
  readonly env: Record<string, string>;
  readonly bucket: string;
  readonly pushEndpoint: string;
  readonly topicName?: string;
}

/** Creates a non-persistent SNS topic pushing to `pushEndpoint` and sends every create/remove event of the bucket to it. */
export async function configureBucketNotifications(setup: NotificationSetup): Promise<void> {
  const topic = setup.topicName ?? `${setup.bucket}-events`;
  const created = await run(
    setup.awsCli,
    ['sns', 'create-topic', '--name', topic, '--attributes', JSON.stringify({ 'push-endpoint': setup.pushEndpoint })],
    { ...process.env, ...setup.env },
  );
  const topicArn = (JSON.parse(created) as { TopicArn: string }).TopicArn;
  await setup.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: setup.bucket,
      NotificationConfiguration: {
        TopicConfigurations: [
          { Id: 'harness', TopicArn: topicArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] },
        ],
      },
    }),
  );
}
