/**
 * `chart-repo serve` (what `npm start` runs): the command-line definition. The work is in ./serve-run, loaded
 * when the command runs.
 */
import { Command, InvalidArgumentError, Option } from 'commander';

export interface ServeOptions {
  readonly port: number;
  readonly s3Port?: number;
  readonly bucket: string;
  readonly dataDir: string;
  readonly indexFormat: 'yaml' | 'json';
}

export const DEFAULT_PORT = 8879;

const DESCRIPTION = `Run a complete Helm chart repository on this machine, no AWS account needed:
a local S3 API to publish with (aws s3 cp, any S3 SDK), the same indexer the
Lambda runs, fed the same S3 events, and the repositories served over HTTP the
way CloudFront serves them. Each chart indexed or rejected is printed as it
happens.

Two ports, both on 127.0.0.1 only:
  --port     the chart repositories, for helm: http://127.0.0.1:PORT/<prefix>
             (index.yaml revalidated on every use, .tgz and .prov files with
             long caching, nothing else: no listings, GET and HEAD only)
  --s3-port  the S3 API, for the AWS CLI and SDKs: --endpoint-url
             http://127.0.0.1:S3PORT (path-style; SigV4 with the key pair
             printed at start; AWS CLI v2 checksummed aws-chunked uploads,
             multipart uploads and conditional writes all work)
They are separate as in AWS, where the S3 endpoint and the CloudFront domain
are different hosts: an S3 request and a Helm download never share a path.

A repository is a folder (prefix) of the bucket: charts copied to
s3://BUCKET/stable/ are listed in http://127.0.0.1:PORT/stable/index.yaml.

State lives in --data-dir as plain files (<data-dir>/<bucket>/<key>) and is
kept across restarts; at start everything already there is indexed (charts
copied into the folder by hand too).

Exit status: 0 after Ctrl-C (SIGINT) or SIGTERM, 1 when the repository could
not run, 2 on a usage error (unknown option, port taken, data directory not
writable).

Examples:
  chart-repo serve
  chart-repo serve --port 9000 --s3-port 9001 --data-dir /tmp/charts
  npm start -- --port 9000 --index-format json`;

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 = any free port)');
  }
  return parsed;
}

/** S3 bucket naming rules (the subset that matters for path-style access). */
function bucketName(value: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) || value.includes('..')) {
    throw new InvalidArgumentError(
      'expected an S3 bucket name: 3-63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
    );
  }
  return value;
}

export function serveCommand(): Command {
  return new Command('serve')
    .summary('run a local chart repository: S3 API + indexer + HTTP (what npm start runs)')
    .description(DESCRIPTION)
    .addOption(
      new Option('--port <PORT>', 'port of the chart repositories (helm)').default(DEFAULT_PORT).argParser(port),
    )
    .addOption(new Option('--s3-port <PORT>', 'port of the S3 API (default: --port + 1)').argParser(port))
    .addOption(new Option('--bucket <NAME>', 'name of the bucket').default('charts').argParser(bucketName))
    .addOption(
      new Option('--data-dir <DIR>', 'folder holding the bucket, kept across restarts').default('./.chart-repo-data'),
    )
    .addOption(
      new Option('--index-format <FORMAT>', 'how index.yaml is written (json: Helm reads it faster)')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .action(async (options: ServeOptions) => {
      const { runServe } = await import('./serve-run');
      await runServe(options);
    });
}
