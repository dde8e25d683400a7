import { terminalProgress } from '../../lambda/cli/progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, written, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream & {
    written: string[];
  };
}

describe('terminalProgress', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('shows charts read / total on a terminal after a short delay, then erases the line', () => {
    const stream = fakeStream(true);
    const progress = terminalProgress('reading charts', stream);
    progress.update(1, 10);
    expect(stream.written).toEqual([]); // short runs show nothing
    jest.setSystemTime(500);
    progress.update(5, 10);
    jest.setSystemTime(520);
    progress.update(6, 10); // throttled
    progress.update(10, 10); // the last one always draws
    progress.clear();
    expect(stream.written).toEqual(['\r\x1b[2Kreading charts 5/10', '\r\x1b[2Kreading charts 10/10', '\r\x1b[2K']);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const progress = terminalProgress('reading charts', stream);
    jest.setSystemTime(1000);
    progress.update(5, 10);
    progress.clear();
    expect(stream.written).toEqual([]);
  });
});
