import { awsSequencer, s3NotificationBody, toAwsRecord, type RadosgwRecord } from '../../scripts/harness/aws-s3-event';
import { encodeS3Key } from '../../lambda/indexer/events';
import records from './fixtures/radosgw-records.json';

const fixture = records as unknown as Record<
  'unversionedPut' | 'unversionedDelete' | 'versionedPut' | 'versionedDeleteMarker',
  RadosgwRecord
>;

/** How a consumer decodes an AWS event key (form decoding): what the handler must do. */
const formDecode = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

describe('encodeS3Key (form encoding, as S3 writes keys in notifications)', () => {
  test.each([
    ['stable/web-1.0.0.tgz', 'stable/web-1.0.0.tgz'],
    ['red flower.jpg', 'red+flower.jpg'], // the example in the AWS documentation
    ['stable/web-1.0.0+build.5.tgz', 'stable/web-1.0.0%2Bbuild.5.tgz'],
    ['a b/x+y é.tgz', 'a+b/x%2By+%C3%A9.tgz'],
    ['ünïcode/chärt ✓.tgz', '%C3%BCn%C3%AFcode/ch%C3%A4rt+%E2%9C%93.tgz'],
    ['100% web=1&x.tgz', '100%25+web%3D1%26x.tgz'],
    ['test/10:47:07.log', 'test/10%3A47%3A07.log'],
    ['app (copy)~1.tgz', 'app+%28copy%29%7E1.tgz'],
    ['a*b_c-d.e', 'a*b_c-d.e'],
    ['q?#[]!$\'",;@', 'q%3F%23%5B%5D%21%24%27%22%2C%3B%40'],
  ])('%j -> %j', (key, encoded) => {
    expect(encodeS3Key(key)).toBe(encoded);
    expect(formDecode(encoded)).toBe(key);
  });

  test('every key round-trips through form decoding', () => {
    const keys = ['', ' ', '+', '%', '%2B', '++  ++', 'a/b/c/', '\u{1F600}/x.tgz', 'tab\there', 'line\nbreak'];
    for (const key of keys) expect(formDecode(encodeS3Key(key))).toBe(key);
  });
});

describe('toAwsRecord (radosgw record -> AWS S3 event record)', () => {
  test('an upload on an unversioned bucket: exact AWS shape, field order included', () => {
    const aws = toAwsRecord(fixture.unversionedPut, { region: 'us-east-1', order: 1 });
    expect(JSON.stringify(aws)).toBe(
      JSON.stringify({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-27T07:33:27.941Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:test' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': aws.responseElements['x-amz-request-id'],
          'x-amz-id-2': '100a-default-default',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'all',
          bucket: { name: 'plain', ownerIdentity: { principalId: 'test' }, arn: 'arn:aws:s3:::plain' },
          object: {
            key: 'stable/my+chart%2B1.0.0.tgz',
            size: 3,
            eTag: '764efa883dda1e11db47671c4a3bbd9e',
            sequencer: '000000000000000001',
          },
        },
      }),
    );
    expect(aws.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
  });

  test('a delete carries only key and sequencer (no size, eTag or empty versionId)', () => {
    const aws = toAwsRecord(fixture.unversionedDelete, { region: 'eu-west-1', order: 2 });
    expect(aws.eventName).toBe('ObjectRemoved:Delete');
    expect(aws.awsRegion).toBe('eu-west-1');
    expect(aws.s3.object).toStrictEqual({ key: 'stable/my+chart%2B1.0.0.tgz', sequencer: '000000000000000002' });
  });

  test('a versioned upload keeps its versionId; a delete marker without one omits it', () => {
    const put = toAwsRecord(fixture.versionedPut, { region: 'us-east-1', order: 3 });
    expect(put.s3.object).toStrictEqual({
      key: 'a+b/x%2By+%C3%A9.tgz',
      size: 3,
      eTag: '764efa883dda1e11db47671c4a3bbd9e',
      versionId: 'cK1TwabdUVDGsv1gu7cIECEGKIEsst5',
      sequencer: '000000000000000003',
    });
    const marker = toAwsRecord(fixture.versionedDeleteMarker, { region: 'us-east-1', order: 4 });
    expect(marker.eventName).toBe('ObjectRemoved:DeleteMarkerCreated');
    expect(marker.s3.object).toStrictEqual({ key: 'a+b/x%2By+%C3%A9.tgz', sequencer: '000000000000000004' });
  });

  test('radosgw sometimes sends eventTime "0.000000": the receive time stands in', () => {
    const zero = { ...fixture.unversionedPut, eventTime: '0.000000' };
    const receivedAt = new Date('2026-11-27T08:00:00.123Z');
    expect(toAwsRecord(zero, { region: 'us-east-1', order: 1, receivedAt }).eventTime).toBe('2026-11-27T08:00:00.123Z');
  });

  test('radosgw-only fields are dropped', () => {
    const text = JSON.stringify(toAwsRecord(fixture.versionedPut, { region: 'us-east-1', order: 1 }));
    for (const field of ['metadata', 'tags', 'eventId', 'opaqueData', '"id"', 'ceph:s3'])
      expect(text).not.toContain(field);
  });

  test('sequencers sort in receive order, unlike radosgw (little-endian timestamps)', () => {
    const sequencers = [1, 2, 15, 16, 255, 256, 4096, 1e9].map(awsSequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });

  test('a record without a key is rejected with what was received', () => {
    const broken = {
      ...fixture.unversionedPut,
      s3: { ...fixture.unversionedPut.s3, object: {} },
    } as unknown as RadosgwRecord;
    expect(() => toAwsRecord(broken, { region: 'us-east-1', order: 1 })).toThrow(
      /expected s3.bucket.name and s3.object.key, received/,
    );
  });

  test('the SQS body is an S3 notification document with one record', () => {
    const record = toAwsRecord(fixture.unversionedPut, { region: 'us-east-1', order: 1 });
    expect(JSON.parse(s3NotificationBody(record))).toEqual({ Records: [record] });
  });
});
