/** SemVer as Helm parses and orders it (Masterminds/semver v3.4.0, coerce mode). */
import { compareSemVer, isValidSemVer, parseSemVer } from '../../lambda/engine';

describe('parseSemVer', () => {
  it.each([
    '1.2.3',
    'v1.2.3',
    '1.2',
    '1',
    'v2',
    '01.02.03',
    '1.0.0-rc.1',
    '1.0.0+build.5',
    '1.0.0-alpha-1+exp.sha.5114f85',
    '18446744073709551615.0.0',
  ])('accepts %s as Helm does', (v) => expect(isValidSemVer(v)).toBe(true));

  it.each([
    '',
    'latest',
    '1.2.3.4',
    '1.2.3-',
    '1.2.3+',
    '1.2.3-01',
    '1.2.3-a..b',
    ' 1.2.3',
    '1.2.3 ',
    'V1.2.3',
    '1.2.3-ä',
    '18446744073709551616.0.0',
    '=1.2.3',
  ])('rejects %j as Helm does', (v) => expect(isValidSemVer(v)).toBe(false));

  it('fills missing minor and patch with zero', () => {
    expect(parseSemVer('v1.2')).toEqual({ major: 1, minor: 2, patch: 0, prerelease: '', build: '' });
  });
});

describe('compareSemVer', () => {
  const cmp = (a: string, b: string) => compareSemVer(parseSemVer(a)!, parseSemVer(b)!);

  it('orders by SemVer precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 0; i + 1 < ordered.length; i++) expect(cmp(ordered[i], ordered[i + 1])).toBe(-1);
  });

  it('ignores build metadata and a v prefix', () => {
    expect(cmp('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(cmp('v1.2', '1.2.0')).toBe(0);
  });
});
