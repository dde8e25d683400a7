/** The repository HTTP server answers as the CloudFront distribution does: types, caching, revalidation, 404/405. */
import { mkdtempSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenLocal, type LocalHttpServer } from '../../lambda/local/listen';
import { FileObjectStore } from '../../lambda/local/object-store';
import { createRepositoryHandler } from '../../lambda/local/repository-http';

let dir: string;
let store: FileObjectStore;
let server: LocalHttpServer;

async function put(key: string, body: string, contentType?: string): Promise<void> {
  const written = await store.writeTemp(Readable.from([Buffer.from(body)]));
  store.commitFile(key, written, { createdBy: 'Put', contentType });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-http-'));
  store = await FileObjectStore.open({ dataDir: dir, bucket: 'charts' });
  server = await listenLocal('repository', 0, createRepositoryHandler(store));
  await put('stable/index.yaml', 'apiVersion: v1\nentries: {}\n', 'application/yaml');
  await put('stable/my+chart-1.0.0.tgz', 'tgz bytes');
  await put('stable/my+chart-1.0.0.tgz.prov', 'signature');
  await put('stable/notes.txt', 'not served');
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('repository HTTP', () => {
  it('serves index.yaml revalidated every time, with an ETag that gives 304', async () => {
    const response = await fetch(`${server.url}/stable/index.yaml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-type')).toBe('application/yaml');
    expect(await response.text()).toContain('apiVersion: v1');
    const etag = response.headers.get('etag') as string;
    const again = await fetch(`${server.url}/stable/index.yaml`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    await put('stable/index.yaml', 'apiVersion: v1\nentries: {}\ngenerated: now\n', 'application/yaml');
    const changed = await fetch(`${server.url}/stable/index.yaml`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
  });

  it('serves archives (+ percent-encoded, as index urls write it) as gzip with long caching, and .prov files', async () => {
    const archive = await fetch(`${server.url}/stable/my%2Bchart-1.0.0.tgz`);
    expect(archive.status).toBe(200);
    expect(archive.headers.get('content-type')).toBe('application/gzip');
    expect(archive.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(await archive.text()).toBe('tgz bytes');
    const prov = await fetch(`${server.url}/stable/my%2Bchart-1.0.0.tgz.prov`);
    expect(prov.headers.get('content-type')).toBe('application/pgp-signature');
    expect(await prov.text()).toBe('signature');
    const head = await fetch(`${server.url}/stable/my%2Bchart-1.0.0.tgz`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '9']);
  });

  it('serves nothing else: no listings, no other files, no missing files', async () => {
    for (const path of [
      '/',
      '/stable/',
      '/stable',
      '/stable/notes.txt',
      '/stable/missing-1.0.0.tgz',
      '/other/index.yaml',
      '/%E0%A4%A',
    ]) {
      expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 404]);
    }
  });

  it('allows GET and HEAD only', async () => {
    const response = await fetch(`${server.url}/stable/index.yaml`, { method: 'PUT', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
