import { ConfigurationError, parseEngineConfigText, resolveEngineConfig } from '.';

describe('resolveEngineConfig', () => {
  it('fills in the example instance defaults', () => {
    const config = resolveEngineConfig({});
    expect(config.tags.legacy).toEqual(['docker']);
    expect(config.tags.optIn).toEqual(['k8s-default']);
    expect(config.tags.arm).toEqual(['arm64', 'aarch64']);
    expect(config.decommissionDate).toBe('2027-03-31');
  });

  it('replaces lists instead of merging them', () => {
    const config = resolveEngineConfig({ tags: { legacy: ['docker-vm'] } });
    expect(config.tags.legacy).toEqual(['docker-vm']);
    expect(config.tags.cvmfs).toEqual(['cvmfs']);
  });

  it('rejects an impossible date with the field name', () => {
    expect(() => resolveEngineConfig({ decommissionDate: '2027-02-30' })).toThrow(/decommissionDate.*YYYY-MM-DD/);
  });

  it('rejects unknown fields', () => {
    expect(() => resolveEngineConfig({ tag: {} })).toThrow(/unknown field "tag"/);
  });

  it('rejects invalid regular expressions', () => {
    expect(() => resolveEngineConfig({ entrypointImages: ['(unclosed'] })).toThrow(/entrypointImages\[0\].*invalid regular expression/);
  });
});

describe('parseEngineConfigText', () => {
  it('reports the line of an invalid field', () => {
    const text = 'tags:\n  legacy:\n    - docker\n    - 42\n';
    let error: unknown;
    try {
      parseEngineConfigText(text, 'fleet.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues[0]).toMatchObject({ field: 'tags.legacy[1]', line: 4 });
    expect((error as Error).message).toContain('fleet.yaml at tags.legacy[1] (line 4)');
  });

  it('reports YAML syntax errors', () => {
    expect(() => parseEngineConfigText('tags: [docker\n', 'fleet.yaml')).toThrow(/YAML syntax error/);
  });

  it('accepts an empty file', () => {
    expect(parseEngineConfigText('', 'fleet.yaml').tags.legacy).toEqual(['docker']);
  });
});
