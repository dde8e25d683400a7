/**
 * The soak's verdict. The truth is the bucket listing at the end; the index is read as a user reads it (the
 * real helm over HTTP). lost = a valid chart in the bucket that helm does not list; phantom = a listed
 * version with no valid chart behind it; wrong = listed but with the wrong digest, url, created or bytes.
 * The index history (every index PUT that S3 accepted, as the proxy saw it) must never drop a chart that was
 * not deleted.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { HelmView } from './helm-view';
import { repositoryUrl } from './helm-view';
import type { IndexWriteObservation } from '../harness/fault-proxy';
import { indexKey, parseIndex, readText, type IndexEntry, type ParsedIndex } from './index-reader';
import type { PlannedObject } from './plan';
import type { PublishLog } from './publish';

export interface Verdict {
  lost: number;
  phantom: number;
  wrong: number;
  /** Index writes that dropped a chart which had not been deleted. */
  regressions: number;
  /** One line per problem, for the report. */
  readonly problems: string[];
  /** publish-to-visible latencies (ms) of charts that became visible, from `aws s3 cp` returning. */
  readonly latenciesMs: number[];
  /** The same from the S3 PUT completing (its event's arrival): without the CLI's exit time. */
  readonly putLatenciesMs: number[];
  /** Index versions written, over all repositories. */
  indexVersions: number;
  /** Valid charts expected in the final index. */
  expected: number;
  pulls: number;
}

export interface VerifyInput {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly endpoint: string;
  readonly prefixes: readonly string[];
  readonly log: PublishLog;
  readonly helm: HelmView;
  /** Every index PUT S3 answered, in answer order. */
  readonly indexWrites: readonly IndexWriteObservation[];
  /** Key -> when its first ObjectCreated event arrived. */
  readonly firstCreatedAt: ReadonlyMap<string, number>;
}

async function listKeys(s3: S3Client, bucket: string): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) keys.set(object.Key!, object.LastModified!.getTime());
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** A file name that is not plain `name-version.tgz`: pulled with helm to prove the url works. */
function isOdd(object: PlannedObject): boolean {
  const file = object.key.slice(folderOf(object.key).length);
  return file !== `${object.name}-${object.version}.tgz` || object.version!.includes('+');
}

export async function verify(input: VerifyInput): Promise<Verdict> {
  const { s3, bucket, log } = input;
  const verdict: Verdict = {
    lost: 0,
    phantom: 0,
    wrong: 0,
    regressions: 0,
    problems: [],
    latenciesMs: [],
    putLatenciesMs: [],
    indexVersions: 0,
    expected: 0,
    pulls: 0,
  };
  const listing = await listKeys(s3, bucket);

  for (const prefix of input.prefixes) {
    const repoUrl = repositoryUrl(input.endpoint, bucket, prefix);
    const where = `repository "${prefix}"`;
    // The truth: valid charts whose key is in this folder and still in the bucket.
    const expected = new Map<string, PlannedObject>();
    for (const [key] of listing) {
      const object = log.finalObjects.get(key);
      if (object?.kind === 'chart' && folderOf(key) === prefix)
        expected.set(`${object.name}@${object.version}`, object);
    }
    verdict.expected += expected.size;

    const viewed = await input.helm.search(repoUrl);
    if (!viewed.charts) {
      if (expected.size > 0) {
        verdict.lost += expected.size;
        verdict.problems.push(`${where}: helm cannot read it (${viewed.error}); ${expected.size} charts lost`);
      }
      continue;
    }
    const text = await readText(s3, bucket, indexKey(prefix));
    const entries = new Map<string, IndexEntry>();
    for (const entry of text ? parseIndex(text, repoUrl, bucket).entries : [])
      entries.set(`${entry.name}@${entry.version}`, entry);

    const seen = new Set<string>();
    for (const chart of viewed.charts) {
      const id = `${chart.name}@${chart.version}`;
      seen.add(id);
      const object = expected.get(id);
      if (!object) {
        verdict.phantom++;
        verdict.problems.push(`${where}: phantom ${id} (no valid chart in the bucket)`);
        continue;
      }
      const entry = entries.get(id);
      const lastModified = listing.get(object.key)!;
      const why = !entry
        ? 'helm lists it but index.yaml has no such entry'
        : entry.urlError
          ? `url ${JSON.stringify(entry.urls[0])} does not resolve: ${entry.urlError}`
          : entry.key !== object.key
            ? `url resolves to ${JSON.stringify(entry.key)}, the chart is ${JSON.stringify(object.key)}`
            : entry.digest !== object.sha256
              ? `digest ${entry.digest} but the object's sha256 is ${object.sha256}`
              : Math.abs(Date.parse(entry.created ?? '') - lastModified) > 1_500
                ? `created ${entry.created} but LastModified is ${new Date(lastModified).toISOString()}`
                : undefined;
      if (why) {
        verdict.wrong++;
        verdict.problems.push(`${where}: wrong ${id}: ${why}`);
      } else if (isOdd(object)) {
        verdict.pulls++;
        const pulled = await input.helm
          .pull(repoUrl, object.name!, object.version!)
          .catch((error: Error) => error.message);
        if (pulled !== object.sha256) {
          verdict.wrong++;
          verdict.problems.push(`${where}: helm pull ${id} (${object.key}) failed or got other bytes: ${pulled}`);
        }
      }
    }
    for (const [id, object] of expected) {
      if (seen.has(id)) continue;
      verdict.lost++;
      verdict.problems.push(`${where}: lost ${id} (${object.key})`);
    }

    const history = input.indexWrites
      .filter((write) => write.key === indexKey(prefix) && write.status === 200)
      .sort((a, b) => a.at - b.at)
      .map((write) => ({ at: write.at, index: parseIndex(write.body, repoUrl, bucket) }));
    checkHistory(history, where, input, verdict);
  }
  return verdict;
}

/** Every index version must keep every chart the previous one had, unless that chart was being deleted. */
function checkHistory(
  versions: readonly { at: number; index: ParsedIndex }[],
  where: string,
  { log, firstCreatedAt }: VerifyInput,
  verdict: Verdict,
): void {
  verdict.indexVersions += versions.length;
  const firstSeen = new Map<string, number>();
  let previous = new Set<string>();
  for (const version of versions) {
    const current = new Set(version.index.entries.map((entry) => entry.key).filter((key): key is string => !!key));
    for (const key of previous) {
      if (current.has(key)) continue;
      const deleteStarted = log.deleteStartedAt.get(key);
      if (deleteStarted === undefined || deleteStarted > version.at) {
        verdict.regressions++;
        verdict.problems.push(
          `${where}: the index written at ${new Date(version.at).toISOString()} dropped ${key}, which ${deleteStarted === undefined ? 'was never deleted' : `was deleted only at ${new Date(deleteStarted).toISOString()}`}`,
        );
      }
    }
    for (const key of current) if (!firstSeen.has(key)) firstSeen.set(key, version.at);
    previous = current;
  }
  for (const [key, visibleAt] of firstSeen) {
    const published = log.firstPutReturnedAt.get(key);
    if (published !== undefined) verdict.latenciesMs.push(visibleAt - published);
    const put = firstCreatedAt.get(key);
    if (put !== undefined) verdict.putLatenciesMs.push(visibleAt - put);
  }
}
