/**
 * Smoke test of `npm run bench -- --quick`: the script runs end to end, says which of the caller's variables the
 * tools run without, and prints every row of its table.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

it('prints the benchmark table with every case, for both tools, judged', () => {
  const result = spawnSync('npm', ['run', '--silent', 'bench', '--', '--quick'], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, GOGC: '100' }, // helm's default: changes nothing but the report
  });
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  const lines = result.stdout.trim().split('\n');
  expect(lines[1]).toMatch(/^both tools run without (\S+, )*GOGC\b/);
  expect(lines[2]).toMatch(
    /^case\s+tool\s+median s\s+cpu s\s+peak MiB\s+speed-up\s+cpu ratio\s+memory\s+floor\s+result$/,
  );
  for (const title of [
    /^\(a\) index 30 charts/,
    /^\(b\) merge 1 chart into 300 versions, YAML/,
    /^\(b\) merge .* JSON/,
  ]) {
    const at = lines.findIndex((line) => title.test(line));
    expect(at).toBeGreaterThan(2);
    expect(lines[at]).toMatch(/\shelm\s+\d+\.\d\d\s+(\d+\.\d\d|-)\s+\d+$/);
    expect(lines[at + 1]).toMatch(
      /^\s+chart-repo\s+\d+\.\d\d\s+(\d+\.\d\d|-)\s+\d+\s+\d+\.\dx\s+(\d+\.\dx|-)\s+\d+\.\d\dx\s+>= \dx, mem <= [\d.]+x\s+(PASS|FAIL)$/,
    );
  }
}, 180_000);
