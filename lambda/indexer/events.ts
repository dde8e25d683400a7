/**
 * Turns whatever invoked the Lambda into plain data: which objects may have changed (hints), per SQS message,
 * or a reindex request. Events are only hints: the indexer asks S3 what is true now, so eventName, size and eTag
 * in a record are deliberately ignored; only the bucket and the key matter.
 */
import { normalizePrefix } from './repository-prefix';

/** An object that may have changed. `key` is decoded (the real key, not the form-encoded one AWS sends). */
export interface ObjectHint {
  readonly bucket: string;
  readonly key: string;
}

/** One SQS message: the hints its body carried, or why it could not be read. */
export interface QueueMessage {
  readonly messageId: string;
  readonly hints: readonly ObjectHint[];
  /** Set when the body is not an S3 notification; the message is then reported as failed (and ends in the DLQ). */
  readonly error?: string;
}

/** `{ "action": "reindex", "bucket"?: string, "prefix"?: string, "deep"?: boolean }`. */
export interface ReindexRequest {
  readonly bucket?: string;
  /** Normalized folder (`stable/`); undefined = every repository in the bucket (or in the allow-list). */
  readonly prefix?: string;
  readonly deep: boolean;
}

export type Invocation =
  | { readonly kind: 'sqs'; readonly messages: readonly QueueMessage[] }
  | { readonly kind: 's3'; readonly hints: readonly ObjectHint[] }
  | { readonly kind: 'reindex'; readonly request: ReindexRequest };

/** The invocation payload is none of the shapes the indexer accepts. */
export class InvalidInvocationError extends Error {
  override readonly name = 'InvalidInvocationError';
}

/**
 * Encodes a key as S3 writes it in notifications (application/x-www-form-urlencoded, like Java's URLEncoder):
 * letters, digits and `-_.*` stay, a space becomes `+`, every other byte of the UTF-8 form becomes `%XX`
 * (upper case), except `/`, which S3 leaves as is. So `a b+c/é` -> `a+b%2Bc/%C3%A9`. The inverse of decodeS3Key;
 * local mode and the test harness use it to make AWS-shaped events.
 */
export function encodeS3Key(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes an S3 event key. AWS form-encodes keys in notifications: a space arrives as `+`, a literal `+` as
 * `%2B`, unicode as UTF-8 percent escapes. Throws URIError on a malformed escape.
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/**
 * The hints in one S3 notification document (what S3 puts in an SQS body, or a direct S3 event).
 * `s3:TestEvent` (sent once when a notification configuration is saved) carries none. An SNS envelope
 * (S3 -> SNS -> SQS without raw delivery) is unwrapped.
 */
export function hintsFromNotification(document: unknown): ObjectHint[] {
  if (!isObject(document)) throw new InvalidInvocationError(`expected a JSON object, received ${describe(document)}`);
  if (document.Event === 's3:TestEvent') return [];
  if (document.Type === 'Notification' && typeof document.Message === 'string') {
    return hintsFromNotification(parseJson(document.Message, 'the SNS Message'));
  }
  const records = document.Records;
  if (!Array.isArray(records)) {
    throw new InvalidInvocationError(
      `expected an S3 event notification with a Records array, received an object with keys [${Object.keys(document).join(', ')}]`,
    );
  }
  return records.map((record: unknown, index) => {
    const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined;
    const bucket = s3 && isObject(s3.bucket) ? s3.bucket.name : undefined;
    const key = s3 && isObject(s3.object) ? s3.object.key : undefined;
    if (typeof bucket !== 'string' || typeof key !== 'string') {
      throw new InvalidInvocationError(`Records[${index}]: expected s3.bucket.name and s3.object.key strings`);
    }
    try {
      return { bucket, key: decodeS3Key(key) };
    } catch {
      throw new InvalidInvocationError(`Records[${index}]: key ${JSON.stringify(key)} is not valid form-encoding`);
    }
  });
}

/** Classifies the Lambda payload. Throws InvalidInvocationError (saying what was expected) for anything else. */
export function classifyInvocation(event: unknown): Invocation {
  if (!isObject(event)) throw new InvalidInvocationError(`expected an event object, received ${describe(event)}`);
  if (event.action !== undefined) return { kind: 'reindex', request: parseReindexRequest(event) };
  const records = event.Records;
  if (Array.isArray(records) && records.length > 0 && isObject(records[0]) && records[0].eventSource === 'aws:sqs') {
    return { kind: 'sqs', messages: records.map(parseQueueMessage) };
  }
  if (Array.isArray(records)) return { kind: 's3', hints: hintsFromNotification(event) };
  if (event.Event === 's3:TestEvent') return { kind: 's3', hints: [] };
  throw new InvalidInvocationError(
    'expected an SQS event of S3 notifications, an S3 event, or {"action":"reindex","bucket"?,"prefix"?,"deep"?}; ' +
      `received an object with keys [${Object.keys(event).join(', ')}]`,
  );
}

function parseQueueMessage(record: unknown, index: number): QueueMessage {
  const messageId = isObject(record) && typeof record.messageId === 'string' ? record.messageId : `#${index}`;
  const body = isObject(record) ? record.body : undefined;
  try {
    if (typeof body !== 'string') throw new InvalidInvocationError('expected a string body');
    return { messageId, hints: hintsFromNotification(parseJson(body, 'the message body')) };
  } catch (error) {
    if (!(error instanceof InvalidInvocationError)) throw error;
    return { messageId, hints: [], error: `SQS message ${messageId}: ${error.message}` };
  }
}

function parseReindexRequest(event: Record<string, unknown>): ReindexRequest {
  const { action, bucket, prefix, deep, ...rest } = event;
  const problems: string[] = [];
  if (action !== 'reindex') problems.push(`action must be "reindex", received ${JSON.stringify(action)}`);
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === '')) {
    problems.push(`bucket must be a non-empty string, received ${JSON.stringify(bucket)}`);
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    problems.push(`prefix must be a string, received ${JSON.stringify(prefix)}`);
  }
  if (deep !== undefined && typeof deep !== 'boolean')
    problems.push(`deep must be a boolean, received ${JSON.stringify(deep)}`);
  if (Object.keys(rest).length > 0) problems.push(`unknown fields [${Object.keys(rest).join(', ')}]`);
  if (problems.length > 0) throw new InvalidInvocationError(`invalid reindex request: ${problems.join('; ')}`);
  return {
    bucket: bucket as string | undefined,
    prefix: typeof prefix === 'string' ? normalizePrefix(prefix) : undefined,
    deep: deep === true,
  };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInvocationError(`${what} is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
