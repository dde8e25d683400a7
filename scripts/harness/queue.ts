/**
 * An in-memory SQS standard queue with the semantics the indexer depends on: a received message stays
 * invisible for the visibility timeout and comes back unless deleted; each receive counts; a message received
 * more than maxReceiveCount times goes to the dead-letter queue instead of being delivered again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SqsEventRecord } from './aws-s3-event';

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

export interface QueueOptions {
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly region: string;
  readonly queueArn?: string;
  readonly now?: () => number;
}

export class SimulatedQueue {
  private readonly messages = new Map<string, QueuedMessage>();
  readonly deadLetters: QueuedMessage[] = [];
  private readonly now: () => number;
  sent = 0;
  receives = 0;
  deleted = 0;

  constructor(private readonly options: QueueOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Enqueues a body; `delayMs` keeps it invisible for a while (SQS DelaySeconds). */
  send(body: string, delayMs = 0): string {
    const messageId = randomUUID();
    const now = this.now();
    this.messages.set(messageId, { messageId, body, sentAt: now, receiveCount: 0, visibleAt: now + delayMs });
    this.sent++;
    return messageId;
  }

  /** Messages visible now, oldest first. */
  private visible(): QueuedMessage[] {
    const now = this.now();
    return [...this.messages.values()].filter((m) => m.visibleAt <= now).sort((a, b) => a.visibleAt - b.visibleAt);
  }

  visibleCount(): number {
    return this.visible().length;
  }

  /** How long the oldest visible message has been waiting, or -1 when none is visible. */
  oldestVisibleAgeMs(): number {
    const oldest = this.visible()[0];
    return oldest ? this.now() - oldest.visibleAt : -1;
  }

  /** Messages not yet deleted (visible, delayed or in flight). */
  get size(): number {
    return this.messages.size;
  }

  /**
   * Receives up to `max` visible messages as Lambda SQS records and hides them for the visibility timeout.
   * A message that was already received maxReceiveCount times moves to the dead-letter queue instead.
   */
  receive(max: number): SqsEventRecord[] {
    const now = this.now();
    const records: SqsEventRecord[] = [];
    for (const message of this.visible()) {
      if (records.length >= max) break;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(message.messageId);
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      this.receives++;
      records.push(this.toRecord(message));
    }
    return records;
  }

  /** Deletes a message if the receipt handle is its latest one (a stale handle deletes nothing, as in SQS). */
  delete(messageId: string, receiptHandle: string): boolean {
    const message = this.messages.get(messageId);
    if (!message || message.receiptHandle !== receiptHandle) return false;
    this.messages.delete(messageId);
    this.deleted++;
    return true;
  }

  private toRecord(message: QueuedMessage): SqsEventRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle!,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn ?? `arn:aws:sqs:${this.options.region}:123456789012:indexer-events`,
      awsRegion: this.options.region,
    };
  }
}
