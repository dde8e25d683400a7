/**
 * The event path over a whole batch: group the hinted chart keys by (bucket, repository), update each
 * repository once, and report which messages could not be applied. A message fails only if one of the
 * repositories its keys belong to failed, so SQS redelivers just those.
 */
import type { ObjectHint } from './events';
import { isAllowedRepository, isChartKey, repositoryPrefixOf } from './repository-prefix';

export interface RepositoryGroup {
  readonly bucket: string;
  readonly prefix: string;
  /** Distinct keys, in first-seen order. */
  readonly keys: string[];
  /** The messages that carried these keys (empty for a direct S3 event). */
  readonly messageIds: Set<string>;
}

export interface Grouping {
  readonly groups: RepositoryGroup[];
  /** Keys skipped: not `*.tgz`, or outside the allow-list. */
  readonly ignoredKeys: number;
}

export function groupByRepository(
  messages: readonly { readonly messageId?: string; readonly hints: readonly ObjectHint[] }[],
  allowList: readonly string[] | undefined,
): Grouping {
  const groups = new Map<string, RepositoryGroup & { seen: Set<string> }>();
  let ignoredKeys = 0;
  for (const message of messages) {
    for (const { bucket, key } of message.hints) {
      const prefix = repositoryPrefixOf(key);
      if (!isChartKey(key) || !isAllowedRepository(prefix, allowList)) {
        ignoredKeys += 1;
        continue;
      }
      const id = `${bucket}\u0000${prefix}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = { bucket, prefix, keys: [], messageIds: new Set(), seen: new Set() };
        groups.set(id, group);
      }
      if (!group.seen.has(key)) {
        group.seen.add(key);
        group.keys.push(key);
      }
      if (message.messageId !== undefined) group.messageIds.add(message.messageId);
    }
  }
  return { groups: [...groups.values()].map(({ seen: _seen, ...group }) => group), ignoredKeys };
}
