/** YAML 1.1 scalars as go-yaml v2 resolves them (the YAML library behind Helm's Chart.yaml reading). */
import { loadGoYaml, resolvePlain } from '../../lambda/engine/go-yaml';

describe('resolvePlain', () => {
  it.each([
    ['yes', 'bool', true],
    ['Off', 'bool', false],
    ['y', 'bool', true],
    ['~', 'null', null],
    ['', 'null', null],
    ['0755', 'int', 493n],
    ['0x1F', 'int', 31n],
    ['0b101', 'int', 5n],
    ['1_000', 'int', 1000n],
    ['-12', 'int', -12n],
    ['18446744073709551615', 'int', 18446744073709551615n],
    ['1.10', 'float', 1.1],
    ['.5', 'float', 0.5],
    ['1e3', 'float', 1000],
    ['089', 'float', 89],
    ['1e400', 'str', '1e400'],
    ['2021-01-02', 'str', '2021-01-02'],
    ['1.2.3', 'str', '1.2.3'],
    ['v1', 'str', 'v1'],
    ['<<', 'str', '<<'],
  ])('%j is %s', (text, tag, value) => {
    expect(resolvePlain(text)).toEqual({ tag, value });
  });
});

describe('loadGoYaml', () => {
  it('keeps quoted scalars as text and lets a repeated key win', () => {
    expect(loadGoYaml('a: "1.10"\nb: 1.10\nb: 2\n', { filename: 'x', maxDepth: 10 })).toEqual({ a: '1.10', b: 2n });
  });

  it('reads only the first document and treats an empty one as null', () => {
    expect(loadGoYaml('a: 1\n---\nb: 2\n', { filename: 'x', maxDepth: 10 })).toEqual({ a: 1n });
    expect(loadGoYaml('# nothing\n', { filename: 'x', maxDepth: 10 })).toBeNull();
  });

  it('turns number and boolean keys into the text sigs.k8s.io/yaml uses', () => {
    expect(loadGoYaml('1.10: a\n0x10: b\ntrue: c\n', { filename: 'x', maxDepth: 10 })).toEqual({
      '1.1': 'a',
      '16': 'b',
      true: 'c',
    });
  });

  it('applies merge keys', () => {
    expect(loadGoYaml('base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n', { filename: 'x', maxDepth: 10 })).toEqual({
      base: { x: 1n },
      m: { x: 1n, z: 2n },
    });
  });

  it('reads a bare y or n key as a YAML 1.1 boolean, as go-yaml v2 does', () => {
    expect(loadGoYaml('y: 1\nn: 2\n', { filename: 'x', maxDepth: 10 })).toEqual({ true: 1n, false: 2n });
  });

  it('refuses nesting past maxDepth', () => {
    expect(() => loadGoYaml(`a: ${'['.repeat(20)}${']'.repeat(20)}`, { filename: 'x', maxDepth: 10 })).toThrow(
      /maxDepth/,
    );
  });
});
