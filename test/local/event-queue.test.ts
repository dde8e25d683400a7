import { EventQueue } from '../../lambda/local/event-queue';
import type { S3EventRecord } from '../../lambda/local/s3-event-records';
import { eventRecord } from '../../lambda/local/s3-event-records';

const record = (key: string): S3EventRecord => eventRecord('charts', { kind: 'removed', key });
const keysOf = (event: { Records: S3EventRecord[] }) => event.Records.map((r) => r.s3.object.key);

describe('EventQueue (S3 -> SQS -> Lambda stand-in)', () => {
  it('runs one batch at a time per prefix; what arrives meanwhile forms the next batch', async () => {
    const batches: string[][] = [];
    let active = 0;
    let maxActivePerPrefix = 0;
    const queue = new EventQueue({
      deliver: async (event) => {
        active += 1;
        maxActivePerPrefix = Math.max(maxActivePerPrefix, active);
        batches.push(keysOf(event));
        await new Promise((resolve) => setTimeout(resolve, 20));
        active -= 1;
      },
      onGiveUp: () => undefined,
    });
    queue.push('stable/', record('stable/a.tgz'));
    queue.push('stable/', record('stable/b.tgz'));
    queue.push('stable/', record('stable/c.tgz'));
    await queue.idle();
    expect(batches).toEqual([['stable/a.tgz'], ['stable/b.tgz', 'stable/c.tgz']]);
    expect(maxActivePerPrefix).toBe(1);
  });

  it('retries a failed batch, then gives up and says so', async () => {
    let calls = 0;
    const givenUp: string[] = [];
    const queue = new EventQueue({
      deliver: async () => {
        calls += 1;
        throw new Error('S3 unavailable');
      },
      onGiveUp: (prefix, records, error) => givenUp.push(`${prefix} ${records.length} ${(error as Error).message}`),
      maxAttempts: 3,
      retryDelayMs: 1,
    });
    queue.push('x/', record('x/a.tgz'));
    await queue.idle();
    expect(calls).toBe(3);
    expect(givenUp).toEqual(['x/ 1 S3 unavailable']);
  });

  it('delivers a batch that failed once on the retry', async () => {
    const delivered: string[][] = [];
    let failNext = true;
    const queue = new EventQueue({
      deliver: async (event) => {
        if (failNext) {
          failNext = false;
          throw new Error('transient');
        }
        delivered.push(keysOf(event));
      },
      onGiveUp: () => undefined,
      retryDelayMs: 1,
    });
    queue.push('', record('root.tgz'));
    await queue.idle();
    expect(delivered).toEqual([['root.tgz']]);
  });
});
