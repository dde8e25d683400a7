// CloudFront Function (runtime cloudfront-js-2.0), viewer request: HTTP basic auth against the KeyValueStore
// associated with the function. One key per user: the key is the user name, the value the lowercase hex
// SHA-256 of "user:password". Neither a password nor a digest appears in this code or in the template.
/* global Buffer */
import cf from 'cloudfront';
import crypto from 'crypto';

// The construct replaces this line's string literal with the configured realm (JSON-quoted) at synth.
const REALM = 'Helm chart repository';
const DIGEST_HEX_LENGTH = 64;
// What an unknown user is compared against, so known and unknown users take the same path.
const NO_MATCH = '-'.repeat(DIGEST_HEX_LENGTH);

const kvs = cf.kvs();

function unauthorized() {
  return {
    statusCode: 401,
    statusDescription: 'Unauthorized',
    headers: {
      'www-authenticate': { value: 'Basic realm="' + REALM + '", charset="UTF-8"' },
      'cache-control': { value: 'no-store' },
    },
  };
}

// Time depends only on the fixed digest length, never on where the first difference is: every character
// pair is compared and the differences are OR-ed together.
function digestsEqual(given, stored) {
  let diff = (given.length ^ DIGEST_HEX_LENGTH) | (stored.length ^ DIGEST_HEX_LENGTH);
  for (let i = 0; i < DIGEST_HEX_LENGTH; i++) {
    diff |= given.charCodeAt(i) ^ stored.charCodeAt(i);
  }
  return diff === 0;
}

// "Basic base64(user:password)" -> { user, pair } or null. The user name may not contain ':' (RFC 7617).
function credentials(headers) {
  const header = headers.authorization;
  if (!header || typeof header.value !== 'string') return null;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header.value);
  if (!match) return null;
  const pair = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon <= 0) return null;
  return { user: pair.slice(0, colon), pair: pair };
}

async function storedDigest(user) {
  try {
    // get() rejects when the key does not exist (or is not a valid key, e.g. longer than 512 bytes).
    const value = await kvs.get(user, { format: 'string' });
    return String(value).trim().toLowerCase();
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- no optional catch binding in the edge runtime
  } catch (_) {
    return NO_MATCH;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the CloudFront runtime calls `handler` by name
async function handler(event) {
  const request = event.request;
  const given = credentials(request.headers);
  if (!given) return unauthorized();
  const stored = await storedDigest(given.user);
  const digest = crypto.createHash('sha256').update(given.pair).digest('hex');
  if (!digestsEqual(digest, stored)) return unauthorized();
  // The origin needs no credentials (Origin Access Control signs the request); keep them off the wire.
  delete request.headers.authorization;
  return request;
}
