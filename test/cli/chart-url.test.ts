import { helmChartUrl } from '../../lambda/cli/chart-url';

// Expected values are what helm v4 writes (Go's net/url joining); the parity test checks the same against the
// real binary on real folders.
describe('helmChartUrl', () => {
  it.each([
    ['top level, no --url: the bare file name, unescaped', 'a b+c-1.0.0.tgz', '', 'a b+c-1.0.0.tgz'],
    ['sub-folder, no --url: escaped path', 'team a/ü-1.0.0+b.tgz', '', 'team%20a/%C3%BC-1.0.0+b.tgz'],
    ['--url without trailing slash', 'x-1.0.0.tgz', 'https://c.example/stable', 'https://c.example/stable/x-1.0.0.tgz'],
    ['--url with trailing slash', 'x-1.0.0.tgz', 'https://c.example/stable/', 'https://c.example/stable/x-1.0.0.tgz'],
    ['--url host only', 'x-1.0.0.tgz', 'https://c.example', 'https://c.example/x-1.0.0.tgz'],
    ['--url and a sub-folder', 'team/x-1.0.0.tgz', 'https://c.example/s', 'https://c.example/s/team/x-1.0.0.tgz'],
    ['--url with escapes and a query', 'x y.tgz', 'http://h:8080/a%20b/c?q=1', 'http://h:8080/a%20b/c/x%20y.tgz?q=1'],
    ['--url with dot segments', 'x.tgz', 'https://c.example/a/../b/./', 'https://c.example/b/x.tgz'],
    ['relative --url', 'team/x.tgz', 'charts', 'charts/team/x.tgz'],
    ['characters Go escapes in paths', 'sub/a!(b)*.tgz', '', 'sub/a%21%28b%29%2A.tgz'],
    ['characters Go keeps in paths', 'sub/a$&,;=@:b.tgz', '', 'sub/a$&,;=@:b.tgz'],
    ['a colon in the first relative segment', 'a:b/x.tgz', '', './a:b/x.tgz'],
    ['an unparsable --url falls back to path.Join', 'x.tgz', 'http://h/%zz', 'http:/h/%zz/x.tgz'],
  ])('%s', (_, file, baseUrl, expected) => {
    expect(helmChartUrl(file, baseUrl)).toBe(expected);
  });
});
