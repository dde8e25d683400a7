/**
 * The basic-auth CloudFront Function, run in Node exactly as the construct deploys it (the realm filled in),
 * against the viewer-request event shape CloudFront passes. Its two imports are supplied by the test: Node's
 * crypto (the edge runtime's crypto module has the same createHash API) and a KeyValueStore held in a Map.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { basicAuthCode } from '../../lib/distribution';

interface EdgeResponse {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, { value: string }>;
}
type EdgeRequest = { method: string; uri: string; headers: Record<string, { value: string }> };
type Handler = (event: unknown) => Promise<EdgeRequest | EdgeResponse>;

const IMPORT_LINE = /^import (\w+) from '([a-z]+)';$/gm;

function loadFunction(code: string, users: Map<string, string>) {
  const modules = [...code.matchAll(IMPORT_LINE)].map((m) => m[2]).sort();
  // Anything else imported would not exist here; fail loudly rather than test a different program.
  expect(modules).toEqual(['cloudfront', 'crypto']);
  const kvsReads: string[] = [];
  const kvs = {
    // Like the edge helper: resolves the value as a string, rejects for a missing key.
    async get(key: string, options?: { format?: string }) {
      expect(options?.format ?? 'string').toBe('string');
      kvsReads.push(key);
      const value = users.get(key);
      if (value === undefined) throw new Error(`KeyValueStore: key ${key} not found`);
      return value;
    },
  };
  const script =
    code.replace(IMPORT_LINE, (_line, name: string, module: string) => `const ${name} = __modules['${module}'];`) +
    '\n({ handler, digestsEqual });';
  const context = vm.createContext({ __modules: { cloudfront: { kvs: () => kvs }, crypto }, Buffer });
  const exported = vm.runInContext(script, context) as {
    handler: Handler;
    digestsEqual: (a: string, b: string) => boolean;
  };
  return { ...exported, context, kvsReads };
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const basic = (pair: string) => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

function viewerRequest(authorization?: string) {
  const event = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'viewer-request.json'), 'utf8')) as {
    request: { headers: Record<string, { value: string }> };
  };
  if (authorization !== undefined) event.request.headers.authorization = { value: authorization };
  return event;
}

const USERS = new Map([
  ['alice', sha256('alice:correct horse battery staple')],
  ['ci-bot', sha256('ci-bot:s3cr3t:with:colons').toUpperCase()],
]);

function expectChallenge(response: EdgeRequest | EdgeResponse, realm = 'Helm chart repository') {
  expect(response).toEqual({
    statusCode: 401,
    statusDescription: 'Unauthorized',
    headers: {
      'www-authenticate': { value: `Basic realm="${realm}", charset="UTF-8"` },
      'cache-control': { value: 'no-store' },
    },
  });
}

describe('basic-auth CloudFront Function', () => {
  const code = basicAuthCode('Helm chart repository');

  test('the right user and password pass the request on, without the credentials', async () => {
    const { handler, kvsReads } = loadFunction(code, USERS);
    const event = viewerRequest(basic('alice:correct horse battery staple'));
    const result = (await handler(event)) as EdgeRequest;
    expect(result.uri).toBe('/stable/index.yaml');
    expect(result.method).toBe('GET');
    expect(result.headers.authorization).toBeUndefined();
    expect(result.headers.host).toEqual({ value: 'charts.example.com' });
    expect(kvsReads).toEqual(['alice']);
  });

  test('a password containing colons and a stored digest in upper case still match', async () => {
    const { handler } = loadFunction(code, USERS);
    const result = (await handler(viewerRequest(basic('ci-bot:s3cr3t:with:colons')))) as EdgeRequest;
    expect(result.uri).toBe('/stable/index.yaml');
  });

  test.each([
    ['a wrong password', basic('alice:correct horse battery stapl')],
    ['an unknown user', basic('mallory:correct horse battery staple')],
    ['another user’s password', basic('ci-bot:correct horse battery staple')],
    ['an empty user name', basic(':correct horse battery staple')],
    ['no colon at all', basic('alice')],
    ['a Bearer token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo'],
    ['a header that is not base64', 'Basic !!!not-base64!!!'],
    ['an empty header', ''],
  ])('%s gets 401 with a WWW-Authenticate challenge', async (_what, authorization) => {
    const { handler } = loadFunction(code, USERS);
    expectChallenge(await handler(viewerRequest(authorization)));
  });

  test('a request without an Authorization header gets 401 and the KeyValueStore is not read', async () => {
    const { handler, kvsReads } = loadFunction(code, USERS);
    expectChallenge(await handler(viewerRequest()));
    expect(kvsReads).toEqual([]);
  });

  test('a stored value that is not a 64-digit hex digest matches nothing', async () => {
    const users = new Map([['alice', 'correct horse battery staple']]);
    const { handler } = loadFunction(code, users);
    expectChallenge(await handler(viewerRequest(basic('alice:correct horse battery staple'))));
  });

  test('the realm configured on the construct is the one in the challenge', async () => {
    const { handler } = loadFunction(basicAuthCode('Platform charts'), USERS);
    expectChallenge(await handler(viewerRequest()), 'Platform charts');
  });

  test("the code fits CloudFront Functions' 10 KB size limit", () => {
    expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024);
  });

  test('neither a password nor a digest is in the function code', () => {
    expect(code).not.toMatch(/[0-9a-f]{64}/i);
    expect(code).not.toContain('correct horse');
  });

  describe('digest comparison does not stop at the first differing character', () => {
    /** Counts String.prototype.charCodeAt calls made inside the function's realm. */
    function counting(loaded: ReturnType<typeof loadFunction>) {
      vm.runInContext(
        `const original = String.prototype.charCodeAt;
         globalThis.calls = 0;
         String.prototype.charCodeAt = function (i) { globalThis.calls++; return original.call(this, i); };`,
        loaded.context,
      );
      return () => {
        const calls = (loaded.context as { calls: number }).calls;
        (loaded.context as { calls: number }).calls = 0;
        return calls;
      };
    }

    test('every character pair is read whether digests differ first, last, everywhere or nowhere', () => {
      const loaded = loadFunction(code, USERS);
      const calls = counting(loaded);
      const digest = sha256('alice:correct horse battery staple');
      const flip = (i: number) => digest.slice(0, i) + (digest[i] === '0' ? '1' : '0') + digest.slice(i + 1);
      const cases: [string, boolean][] = [
        [digest, true],
        [flip(0), false],
        [flip(63), false],
        [sha256('something else'), false],
      ];
      const counts = cases.map(([other, equal]) => {
        expect(loaded.digestsEqual(digest, other)).toBe(equal);
        return calls();
      });
      expect(counts).toEqual([128, 128, 128, 128]);
    });

    test('a length mismatch is rejected after the same full pass', () => {
      const loaded = loadFunction(code, USERS);
      const calls = counting(loaded);
      const digest = sha256('x');
      expect(loaded.digestsEqual(digest, digest.slice(0, 63))).toBe(false);
      expect(loaded.digestsEqual(digest, `${digest}0`)).toBe(false);
      expect(calls()).toBe(256);
    });

    test('an unknown user costs the same comparison as a known one', async () => {
      const loaded = loadFunction(code, USERS);
      const calls = counting(loaded);
      await loaded.handler(viewerRequest(basic('alice:wrong')));
      const knownUser = calls();
      await loaded.handler(viewerRequest(basic('mallory:wrong')));
      const unknownUser = calls();
      await loaded.handler(viewerRequest(basic('alice:correct horse battery staple')));
      const rightPassword = calls();
      expect(knownUser).toBeGreaterThanOrEqual(128);
      expect(unknownUser).toBe(knownUser);
      expect(rightPassword).toBe(knownUser);
    });
  });
});
