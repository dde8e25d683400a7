// Reindex and event-path cost at repository scale, on a private radosgw (a benchmark, not a test):
//   npm run build && node scripts/bench-reindex.mjs [--existing 10000] [--new 100] [--batch 10]
// Uploads EXISTING charts to one repository, builds its index with a reindex, uploads NEW more, reindexes
// again (the figure: requests made and time taken), then publishes BATCH charts through one SQS batch to show
// that the event path costs the same requests per chart whatever the repository size.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const EXISTING = Number(args.existing ?? 10_000);
const NEW = Number(args.new ?? 100);
const BATCH = Number(args.batch ?? 10);
const UPLOAD_CONCURRENCY = 32;

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePortBlock() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 52_000 + Math.floor(Math.random() * 500) * 16;
    const ports = Array.from({ length: 16 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of 16 ports');
}

function chart(name, version) {
  return new Promise((resolve, reject) => {
    const pack = tar.pack();
    const chunks = [];
    pack.on('data', (chunk) => chunks.push(chunk));
    pack.on('end', () => resolve(gzipSync(Buffer.concat(chunks))));
    pack.on('error', reject);
    pack.entry(
      { name: `${name}/Chart.yaml` },
      `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: bench chart\n`,
    );
    pack.entry({ name: `${name}/values.yaml` }, 'replicaCount: 1\n');
    pack.finalize();
  });
}

async function pool(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Runs the bundled handler and returns what it logged about its S3 requests and the time it took. */
async function invoke(handler, event) {
  const lines = [];
  const write = process.stdout.write;
  process.stdout.write = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(line);
    return true;
  };
  const started = performance.now();
  let result;
  try {
    result = await handler(event);
  } finally {
    process.stdout.write = write;
  }
  const ms = performance.now() - started;
  const done = lines.map((l) => JSON.parse(l)).find((r) => r.message === 'invocation done');
  return { result, ms, requests: done?.s3Requests ?? {} };
}

function sqs(bucket, keys) {
  return {
    Records: keys.map((key, i) => ({
      messageId: `m${i}`,
      eventSource: 'aws:sqs',
      body: JSON.stringify({
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } },
          },
        ],
      }),
    })),
  };
}

const base = mkdtempSync(join(tmpdir(), 'bench-reindex-'));
const port = await freePortBlock();
const env = {
  ...process.env,
  RGW_PORT: String(port),
  MON_PORT: String(port + 1),
  OSD_PORT_MIN: String(port + 2),
  OSD_PORT_MAX: String(port + 15),
};
execFileSync('bash', [join(root, 'scripts/radosgw/start.sh'), base], { env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  const rgw = Object.fromEntries(
    readFileSync(join(base, 'env'), 'utf8')
      .split('\n')
      .map((line) => /^export (\w+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: rgw.AWS_ENDPOINT_URL,
    AWS_ACCESS_KEY_ID: rgw.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: rgw.AWS_SECRET_ACCESS_KEY,
    AWS_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const { handler } = await import(join(root, 'dist/bundle/indexer/index.js'));
  const bucket = 'bench';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  const upload = async (keys) =>
    pool(keys, UPLOAD_CONCURRENCY, async ([key, name, version]) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await chart(name, version) })),
    );
  const spec = (prefix, count, tag) =>
    Array.from({ length: count }, (_, i) => [
      `repo/${prefix}${i % 100}-${tag}.${Math.floor(i / 100)}.0.tgz`,
      `${prefix}${i % 100}`,
      `${tag}.${Math.floor(i / 100)}.0`,
    ]);

  let t = performance.now();
  await upload(spec('app', EXISTING, 1));
  const uploadSeconds = (performance.now() - t) / 1000;

  const rows = [];
  const row = (what, run, charts) =>
    rows.push({
      what,
      ms: Math.round(run.ms),
      'index GET': run.requests.indexReads,
      'chart GET': run.requests.chartReads,
      HEAD: run.requests.heads,
      'LIST pages': run.requests.listPages,
      'index PUT': run.requests.indexWrites,
      'requests/chart': charts ? (Object.values(run.requests).reduce((a, b) => a + b, 0) / charts).toFixed(2) : '-',
    });

  row(`reindex: build index of ${EXISTING} charts`, await invoke(handler, { action: 'reindex', bucket }), EXISTING);
  await upload(spec('new', NEW, 2));
  row(`reindex: ${EXISTING} existing + ${NEW} new`, await invoke(handler, { action: 'reindex', bucket }), NEW);
  row(`reindex: nothing changed (${EXISTING + NEW})`, await invoke(handler, { action: 'reindex', bucket }), 0);
  const batch = spec('evt', BATCH, 3);
  await upload(batch);
  row(
    `events: SQS batch of ${BATCH} into ${EXISTING + NEW} versions`,
    await invoke(
      handler,
      sqs(
        bucket,
        batch.map(([k]) => k),
      ),
    ),
    BATCH,
  );
  const single = spec('one', 1, 4);
  await upload(single);
  row(
    `events: 1 chart into ${EXISTING + NEW + BATCH} versions`,
    await invoke(
      handler,
      sqs(
        bucket,
        single.map(([k]) => k),
      ),
    ),
    1,
  );
  row(
    `reindex deep: re-read all ${EXISTING + NEW + BATCH + 1}`,
    await invoke(handler, { action: 'reindex', bucket, deep: true }),
    EXISTING + NEW + BATCH + 1,
  );

  console.log(`uploaded ${EXISTING} charts in ${uploadSeconds.toFixed(1)} s (${UPLOAD_CONCURRENCY} parallel PUTs)`);
  console.table(rows);
  s3.destroy();
} finally {
  execFileSync('bash', [join(root, 'scripts/radosgw/stop.sh'), base], { stdio: 'ignore' });
  rmSync(base, { recursive: true, force: true });
}
