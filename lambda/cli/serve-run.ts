/**
 * What `chart-repo serve` does: start the local repository, print how to use it, print each chart indexed or
 * rejected as it happens, and stop cleanly on Ctrl-C (SIGINT) or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PortUnavailableError } from '../local/listen';
import { DataDirectoryError } from '../local/object-store';
import { startLocalRepository, type LocalRepository, type LocalRepositoryReporter } from '../local/local-repository';
import { UsageError } from './errors';
import type { ServeOptions } from './serve-command';

/** The bundled indexer: beside this bundle (dist/bundle/), or the build output when run from source. */
function indexerBundle(): string {
  const candidates = [
    join(__dirname, 'indexer', 'index.js'),
    join(__dirname, '..', '..', 'dist', 'bundle', 'indexer', 'index.js'),
  ];
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}

function consoleReporter(): LocalRepositoryReporter {
  const out = (line: string) => process.stdout.write(`${time()} ${line}\n`);
  return {
    chartIndexed: (key, chart, replaced) =>
      out(`${replaced ? 'replaced' : 'indexed '} ${key}  (${chart.name} ${chart.version})`),
    chartRemoved: (key, chart) => out(`removed  ${key}  (${chart.name} ${chart.version})`),
    chartRejected: (key, reason) => out(`REJECTED ${key}: ${reason}`),
    problem: (message) => process.stderr.write(`${time()} problem  ${message}\n`),
  };
}

function banner(repository: LocalRepository, options: ServeOptions, dataDir: string): string {
  const { accessKeyId, secretAccessKey } = repository.credentials;
  const served = repository.repositories();
  const summary =
    served.length === 0
      ? 'No charts yet.'
      : `Serving ${served.reduce((n, r) => n + r.charts, 0)} chart versions in ${served
          .map((r) => `${r.prefix === '' ? '(bucket root)' : r.prefix} (${r.charts})`)
          .join(', ')}.`;
  return `
Local chart repository (nothing here talks to AWS)
  charts (helm)   ${repository.repositoryUrl}/<prefix>   (--port)
  S3 API          ${repository.s3Url}   (--s3-port; bucket "${options.bucket}")
  data            ${join(dataDir, options.bucket)}   (--data-dir; kept across restarts)

In another terminal:
  export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=us-east-1
  aws s3 cp mychart-0.1.0.tgz s3://${options.bucket}/stable/ --endpoint-url ${repository.s3Url}
  helm repo add stable ${repository.repositoryUrl}/stable
  helm search repo stable

${summary} Ctrl-C stops.
`;
}

export async function runServe(options: ServeOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  let repository: LocalRepository;
  try {
    repository = await startLocalRepository({
      dataDir,
      bucket: options.bucket,
      port: options.port,
      s3Port: options.s3Port ?? (options.port === 0 ? 0 : options.port + 1),
      indexFormat: options.indexFormat,
      indexerBundle: indexerBundle(),
      reporter: consoleReporter(),
    });
  } catch (error) {
    if (error instanceof PortUnavailableError || error instanceof DataDirectoryError) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
  process.stdout.write(banner(repository, options, dataDir));

  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`\n${time()} ${signal}: stopping (waiting for indexing in progress)\n`);
      repository
        .close()
        .catch((error: unknown) =>
          process.stderr.write(`problem while stopping: ${(error as Error)?.message ?? error}\n`),
        )
        .finally(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.stdout.write(`${time()} stopped\n`);
          resolveStop();
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Keep-alive sockets of the in-process indexer's S3 client must not hold the process open.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
}
