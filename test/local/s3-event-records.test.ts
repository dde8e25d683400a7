import { decodeS3Key, encodeS3Key, hintsFromNotification } from '../../lambda/indexer/events';
import { eventRecord } from '../../lambda/local/s3-event-records';

describe('S3 event records for the indexer', () => {
  it('form-encodes keys as AWS does: space as +, + as %2B, unicode as UTF-8 escapes, / kept', () => {
    expect(encodeS3Key('stable/my chart+1.0.0.tgz')).toBe('stable/my+chart%2B1.0.0.tgz');
    expect(encodeS3Key('ünï/çødé 1.tgz')).toBe('%C3%BCn%C3%AF/%C3%A7%C3%B8d%C3%A9+1.tgz');
  });

  it.each(['stable/my chart+1.0.0+build.5.tgz', 'a/b/c%20d.tgz', 'root.tgz', 'x/日本語 100%.tgz'])(
    "round-trips %s through the indexer's own decoder",
    (key) => {
      expect(decodeS3Key(encodeS3Key(key))).toBe(key);
    },
  );

  it('builds records the indexer reads as the right bucket and key, in AWS shape', () => {
    const created = eventRecord('charts', {
      kind: 'created',
      createdBy: 'CompleteMultipartUpload',
      object: { key: 'stable/a b.tgz', size: 12, etag: 'abc-2', lastModified: new Date() },
    });
    const removed = eventRecord('charts', { kind: 'removed', key: 'stable/a b.tgz' });
    expect(created).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      s3: {
        bucket: { name: 'charts', arn: 'arn:aws:s3:::charts' },
        object: { key: 'stable/a+b.tgz', size: 12, eTag: 'abc-2' },
      },
    });
    expect(removed.eventName).toBe('ObjectRemoved:Delete');
    expect(removed.s3.object.size).toBeUndefined();
    expect(BigInt(`0x${removed.s3.object.sequencer}`)).toBeGreaterThan(BigInt(`0x${created.s3.object.sequencer}`));
    expect(hintsFromNotification({ Records: [created, removed] })).toEqual([
      { bucket: 'charts', key: 'stable/a b.tgz' },
      { bucket: 'charts', key: 'stable/a b.tgz' },
    ]);
  });
});
