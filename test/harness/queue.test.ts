import { failedIds } from '../../scripts/harness/event-source-mapping';
import { Prng } from '../../scripts/harness/prng';
import { SimulatedQueue } from '../../scripts/harness/queue';

function queueAt(clock: { now: number }, maxReceiveCount = 3) {
  return new SimulatedQueue({ visibilityTimeoutMs: 1_000, maxReceiveCount, region: 'us-east-1', now: () => clock.now });
}

describe('SimulatedQueue (SQS standard queue semantics)', () => {
  test('a received message is hidden for the visibility timeout, then comes back with a higher receive count', () => {
    const clock = { now: 0 };
    const queue = queueAt(clock);
    queue.send('a');
    const [first] = queue.receive(10);
    expect(first.body).toBe('a');
    expect(first.attributes.ApproximateReceiveCount).toBe('1');
    expect(first.eventSource).toBe('aws:sqs');
    expect(queue.receive(10)).toHaveLength(0);
    clock.now = 999;
    expect(queue.receive(10)).toHaveLength(0);
    clock.now = 1_000;
    const [again] = queue.receive(10);
    expect(again.messageId).toBe(first.messageId);
    expect(again.attributes.ApproximateReceiveCount).toBe('2');
    expect(again.receiptHandle).not.toBe(first.receiptHandle);
  });

  test('delete needs the latest receipt handle', () => {
    const clock = { now: 0 };
    const queue = queueAt(clock);
    queue.send('a');
    const [first] = queue.receive(1);
    clock.now = 1_000;
    const [second] = queue.receive(1);
    expect(queue.delete(first.messageId, first.receiptHandle)).toBe(false);
    expect(queue.delete(second.messageId, second.receiptHandle)).toBe(true);
    expect(queue.size).toBe(0);
  });

  test('after maxReceiveCount receives a message goes to the dead-letter queue', () => {
    const clock = { now: 0 };
    const queue = queueAt(clock, 2);
    queue.send('poison');
    expect(queue.receive(1)).toHaveLength(1);
    clock.now += 1_000;
    expect(queue.receive(1)).toHaveLength(1);
    clock.now += 1_000;
    expect(queue.receive(1)).toHaveLength(0);
    expect(queue.deadLetters.map((m) => m.body)).toEqual(['poison']);
    expect(queue.size).toBe(0);
  });

  test('batches take the oldest visible messages first, up to the batch size; delayed ones wait', () => {
    const clock = { now: 0 };
    const queue = queueAt(clock);
    queue.send('late', 500);
    for (const body of ['a', 'b', 'c']) queue.send(body);
    expect(queue.receive(2).map((r) => r.body)).toEqual(['a', 'b']);
    expect(queue.receive(10).map((r) => r.body)).toEqual(['c']);
    clock.now = 500;
    expect(queue.receive(10).map((r) => r.body)).toEqual(['late']);
  });
});

describe('failedIds (batchItemFailures as the SQS event source mapping reads it)', () => {
  const clock = { now: 0 };
  const queue = queueAt(clock);
  queue.send('a');
  queue.send('b');
  const batch = queue.receive(10);

  test('no result or an empty list: nothing failed', () => {
    expect(failedIds(undefined, batch)).toEqual(new Set());
    expect(failedIds({}, batch)).toEqual(new Set());
    expect(failedIds({ batchItemFailures: [] }, batch)).toEqual(new Set());
  });

  test('named items failed', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: batch[1].messageId }] }, batch)).toEqual(
      new Set([batch[1].messageId]),
    );
  });

  test('an unknown or missing id makes the whole response malformed (AWS then fails the whole batch)', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'nope' }] }, batch)).toBe('malformed');
    expect(failedIds({ batchItemFailures: [{}] }, batch)).toBe('malformed');
    expect(failedIds({ batchItemFailures: 'x' }, batch)).toBe('malformed');
  });
});

describe('Prng', () => {
  test('the same seed gives the same stream; forks are independent of later draws', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const forkBefore = new Prng(7).fork('x').next();
    const parent = new Prng(7);
    expect(parent.fork('x').next()).toBe(forkBefore);
    expect(new Prng(7).fork('y').next()).not.toBe(forkBefore);
  });

  test('chance(f) hits about f of the time', () => {
    const prng = new Prng(1);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (prng.chance(0.1)) hits++;
    expect(hits).toBeGreaterThan(900);
    expect(hits).toBeLessThan(1_100);
  });
});
