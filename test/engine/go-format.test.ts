/** Numbers that land in Chart.yaml string fields become text as Go's FormatFloat(f, 'g', -1, 32) writes them. */
import { formatFloat32, formatFloatKey } from '../../lambda/engine/go-format';

describe('formatFloat32', () => {
  it.each([
    [1.1, '1.1'],
    [1.0, '1'],
    [0.5, '0.5'],
    [1000, '1000'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e6, '1e+06'],
    [123456789.5, '1.2345679e+08'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [3.14159265358979, '3.1415927'],
    [-2.5, '-2.5'],
    [0, '0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('%p -> %s', (value, text) => expect(formatFloat32(value)).toBe(text));

  it('spells infinities and NaN as YAML in map keys', () => {
    expect(formatFloatKey(Infinity)).toBe('.inf');
    expect(formatFloatKey(NaN)).toBe('.nan');
    expect(formatFloatKey(1.5)).toBe('1.5');
  });
});
