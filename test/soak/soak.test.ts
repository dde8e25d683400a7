/**
 * The soak command end to end with small numbers: its own radosgw, real `aws s3 cp`/`rm`, the bundled handler
 * behind the SQS/Lambda harness, and the verdict read with the real helm. Each run must end with the line
 * `lost=0 phantom=0 wrong=0` and exit 0.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describeWithRadosgw } from '../support/radosgw';

const root = join(__dirname, '..', '..');

function soak(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'scripts', 'soak.ts'), ...args],
      { cwd: root, timeout: 400_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    ),
  );
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** A table row's value, e.g. row(out, 'crashes / timeouts / errors / died'). */
function row(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`soak output has no row "${label}":\n${text}`);
  return line.trim().slice(label.length).trim();
}

function expectClean(result: { code: number; stdout: string; stderr: string }): void {
  if (result.code !== 0) process.stderr.write(`soak output:\n${result.stdout}\n${result.stderr}\n`);
  expect(lastLine(result.stdout)).toBe('lost=0 phantom=0 wrong=0');
  expect(result.code).toBe(0);
}

describeWithRadosgw('soak command (radosgw + harness + bundled handler + helm)', () => {
  test('20 charts, 5 deletes, 4 instances: the index equals the bucket', async () => {
    const result = await soak(['--charts', '20', '--deletes', '5', '--seed', '11']);
    expectClean(result);
    expect(Number(row(result.stdout, 'valid charts expected in the index'))).toBe(15);
    expect(Number(row(result.stdout, 'odd-key charts pulled with helm'))).toBeGreaterThan(0);
    expect(Number(row(result.stdout, 'index writes (200)'))).toBeGreaterThan(0);
  }, 400_000);

  test('with S3 faults and crashes the index still converges, and no write dropped a live chart', async () => {
    const result = await soak([
      '--charts', '20', '--deletes', '5', '--s3-fault-rate', '0.1', '--crash-rate', '0.2',
      '--visibility-timeout', '12', '--lambda-timeout', '10', '--seed', '12',
    ]); // prettier-ignore
    expectClean(result);
    const [crashes] = row(result.stdout, 'crashes / timeouts / errors / died').split(' / ').map(Number);
    expect(crashes).toBeGreaterThan(0);
    expect(row(result.stdout, 'faults injected')).not.toMatch(
      /^http500 0, slowdown503 0, resetBefore 0, resetAfter 0, timeout 0$/,
    );
    expect(row(result.stdout, 'history regressions (a write dropped a live chart)')).toBe('0');
  }, 400_000);

  test('every event delivered 3 times, shuffled: same index as one in-order delivery', async () => {
    const result = await soak(['--charts', '20', '--deletes', '5', '--replays', '3', '--seed', '13']);
    expectClean(result);
    expect(row(result.stdout, 'replayed vs single in-order delivery')).toBe('identical');
    const received = Number(row(result.stdout, 'events received from radosgw'));
    expect(Number(row(result.stdout, 'SQS messages sent (with replays)'))).toBe(3 * received);
  }, 400_000);

  test('reindex at scale (small): existing entries kept, only new keys read, requests counted', async () => {
    const result = await soak(['--reindex-scale', '--existing', '150', '--new', '10']);
    if (result.code !== 0) process.stderr.write(`soak output:\n${result.stdout}\n${result.stderr}\n`);
    expect(lastLine(result.stdout)).toBe('reindex-scale: ok');
    // The second reindex reads the listing page, the index and the 10 new charts, and writes once.
    const requests = result.stdout.split('reindex: 150 existing + 10 new')[1];
    expect(row(requests, 'S3 requests')).toBe('13 (GET 12, PUT 1)');
    expect(row(result.stdout, 'entries (expected)')).toBe('170 (170)');
  }, 400_000);

  test('bad arguments are refused with what was expected', async () => {
    const result = await soak(['--crash-rate', '2']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/expected a fraction between 0 and 1, received "2"/);
  });
});
