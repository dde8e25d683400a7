import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyInvocation,
  decodeS3Key,
  hintsFromNotification,
  InvalidInvocationError,
} from '../../lambda/indexer/events';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

describe('decodeS3Key', () => {
  test.each([
    ['stable/My+Apps/caf%C3%A9-1.0.0%2Bbuild.1.tgz', 'stable/My Apps/café-1.0.0+build.1.tgz'],
    ['a%2Bb+c.tgz', 'a+b c.tgz'],
    ['plain/nginx-1.2.3.tgz', 'plain/nginx-1.2.3.tgz'],
    ['%E6%97%A5%E6%9C%AC/chart-0.1.0.tgz', '日本/chart-0.1.0.tgz'],
    ['100%25/x.tgz', '100%/x.tgz'],
  ])('%s -> %s', (encoded, decoded) => expect(decodeS3Key(encoded)).toBe(decoded));

  test('a malformed escape throws', () => expect(() => decodeS3Key('bad%E6.tgz')).toThrow(URIError));
});

describe('classifyInvocation', () => {
  test('direct S3 event: the form-encoded key is decoded; event name, size and eTag are not used', () => {
    expect(classifyInvocation(fixture('s3-object-created.json'))).toEqual({
      kind: 's3',
      hints: [{ bucket: 'helm-charts-123456789012', key: 'stable/My Apps/café-1.0.0+build.1.tgz' }],
    });
  });

  test('a delete marker event is a hint like any other', () => {
    expect(classifyInvocation(fixture('s3-object-removed.json'))).toEqual({
      kind: 's3',
      hints: [{ bucket: 'helm-charts-123456789012', key: 'stable/nginx-15.4.2.tgz' }],
    });
  });

  test('SQS batch: one entry per message, s3:TestEvent carries no hints', () => {
    const invocation = classifyInvocation(fixture('sqs-s3-notifications.json'));
    expect(invocation).toEqual({
      kind: 'sqs',
      messages: [
        { messageId: '4c1f9d2e-6a3b-4f58-9c7d-0e1a2b3c4d5e', hints: [] },
        {
          messageId: 'b7e2a4c9-1d3f-4e6a-8b9c-2d4e6f8a0b1c',
          hints: [{ bucket: 'helm-charts-123456789012', key: 'stable/My Apps/café-1.0.0+build.1.tgz' }],
        },
        {
          messageId: 'e9f1c3a5-7b2d-4c6e-9f0a-3b5d7e9f1a2c',
          hints: [{ bucket: 'helm-charts-123456789012', key: 'stable/nginx-15.4.2.tgz' }],
        },
      ],
    });
  });

  test('an unreadable SQS body fails that message only, saying why', () => {
    const invocation = classifyInvocation({
      Records: [
        { messageId: 'ok', eventSource: 'aws:sqs', body: JSON.stringify(fixture('s3-test-event.json')) },
        { messageId: 'garbage', eventSource: 'aws:sqs', body: 'not json at all' },
        { messageId: 'wrong-shape', eventSource: 'aws:sqs', body: '{"hello":"world"}' },
      ],
    });
    if (invocation.kind !== 'sqs') throw new Error(`expected sqs, got ${invocation.kind}`);
    expect(invocation.messages[0]).toEqual({ messageId: 'ok', hints: [] });
    expect(invocation.messages[1].error).toMatch(/garbage: the message body is not JSON/);
    expect(invocation.messages[2].error).toMatch(
      /wrong-shape: expected an S3 event notification with a Records array.*\[hello\]/,
    );
  });

  test('an SNS envelope in an SQS body is unwrapped', () => {
    const sns = { Type: 'Notification', MessageId: 'x', Message: JSON.stringify(fixture('s3-object-created.json')) };
    const invocation = classifyInvocation({
      Records: [{ messageId: 'm', eventSource: 'aws:sqs', body: JSON.stringify(sns) }],
    });
    expect(invocation).toEqual({
      kind: 'sqs',
      messages: [
        {
          messageId: 'm',
          hints: [{ bucket: 'helm-charts-123456789012', key: 'stable/My Apps/café-1.0.0+build.1.tgz' }],
        },
      ],
    });
  });

  test('reindex requests', () => {
    expect(classifyInvocation({ action: 'reindex' })).toEqual({ kind: 'reindex', request: { deep: false } });
    expect(classifyInvocation({ action: 'reindex', bucket: 'b', prefix: 'stable', deep: true })).toEqual({
      kind: 'reindex',
      request: { bucket: 'b', prefix: 'stable/', deep: true },
    });
    expect(classifyInvocation({ action: 'reindex', prefix: '' })).toEqual({
      kind: 'reindex',
      request: { prefix: '', deep: false },
    });
  });

  test('a bad reindex request says every problem', () => {
    expect(() => classifyInvocation({ action: 'reindex', deep: 'yes', prefix: 3, extra: 1 })).toThrow(
      /prefix must be a string, received 3; deep must be a boolean, received "yes"; unknown fields \[extra\]/,
    );
    expect(() => classifyInvocation({ action: 'rebuild' })).toThrow(/action must be "reindex", received "rebuild"/);
  });

  test('anything else is refused with what was expected', () => {
    expect(() => classifyInvocation({ detail: {} })).toThrow(InvalidInvocationError);
    expect(() => classifyInvocation({ detail: {} })).toThrow(
      /expected an SQS event .* received an object with keys \[detail\]/,
    );
    expect(() => classifyInvocation('text')).toThrow(/received string/);
    expect(() => hintsFromNotification({ Records: [{ s3: { bucket: {} } }] })).toThrow(
      /Records\[0\]: expected s3.bucket.name/,
    );
  });
});
