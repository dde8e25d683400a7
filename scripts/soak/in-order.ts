/**
 * The replay check: after a run that delivered every event k times, shuffled, the indexes are removed and
 * rebuilt by delivering each recorded event once, in order, to one instance, with no faults. Both must be
 * identical (minus `generated`).
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { startHarness, type HarnessOptions } from '../harness/harness';
import type { SoakCluster } from './cluster';
import { repositoryUrl } from './helm-view';
import { canonicalIndex, indexKey, parseIndex, readText } from './index-reader';

async function readIndexes(
  cluster: SoakCluster,
  prefixes: readonly string[],
): Promise<Map<string, string | undefined>> {
  const contents = new Map<string, string | undefined>();
  for (const prefix of prefixes) {
    const text = await readText(cluster.s3, cluster.bucket, indexKey(prefix));
    const repoUrl = repositoryUrl(cluster.rgw.endpoint, cluster.bucket, prefix);
    contents.set(
      prefix,
      text === undefined ? undefined : canonicalIndex(parseIndex(text, repoUrl, cluster.bucket).document),
    );
  }
  return contents;
}

/** Returns 'identical' or a description of the first difference. */
export async function compareWithInOrderDelivery(input: {
  cluster: SoakCluster;
  prefixes: readonly string[];
  events: readonly string[];
  harness: HarnessOptions;
}): Promise<string> {
  const { cluster, prefixes } = input;
  const replayed = await readIndexes(cluster, prefixes);
  for (const prefix of prefixes) {
    await cluster.s3.send(new DeleteObjectCommand({ Bucket: cluster.bucket, Key: indexKey(prefix) }));
  }
  const reference = await startHarness({ ...input.harness, workers: 1, replays: 1, s3FaultRate: 0, crashRate: 0 });
  try {
    for (const body of input.events) reference.enqueue(body);
    await reference.waitForQuiet({ quietMs: 1_000, timeoutMs: 600_000 });
  } finally {
    await reference.close();
  }
  const inOrder = await readIndexes(cluster, prefixes);
  for (const prefix of prefixes) {
    const a = replayed.get(prefix);
    const b = inOrder.get(prefix);
    if (a === b) continue;
    // A repository whose charts were all deleted: the replayed run wrote an index that became empty; the
    // reference starts from no index and has nothing to add. Both serve no charts.
    if ((a === undefined && isEmpty(b)) || (b === undefined && isEmpty(a))) continue;
    if (a === undefined || b === undefined) {
      return `repository "${prefix}": index ${a === undefined ? 'absent' : 'present'} after replays, ${b === undefined ? 'absent' : 'present'} after in-order delivery`;
    }
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    return `repository "${prefix}": differs at character ${at}: replayed …${a.slice(Math.max(0, at - 80), at + 80)}… in-order …${b.slice(Math.max(0, at - 80), at + 80)}…`;
  }
  return 'identical';
}

function isEmpty(canonical: string | undefined): boolean {
  if (canonical === undefined) return false;
  const entries = (JSON.parse(canonical) as { entries?: Record<string, unknown[]> | null }).entries ?? {};
  return Object.values(entries).every((versions) => (versions ?? []).length === 0);
}
