import { execFileSync } from 'node:child_process';
import { awsCli, helmBinary } from './tools';

// The real clients every integration suite relies on: fail here first, with a plain reason, if they are missing.
describe('real client tools', () => {
  it('runs helm v4', () => {
    expect(execFileSync(helmBinary(), ['version', '--short']).toString()).toMatch(/^v4\.\d+\.\d+/);
  });

  it('runs AWS CLI v1', () => {
    const out = execFileSync(awsCli(), ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(out).toMatch(/aws-cli\/1\.\d+\.\d+/);
  });
});
