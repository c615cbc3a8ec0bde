import { parseCliArguments } from '../cli';

describe('command line', () => {
  it('maps options with their defaults', () => {
    const options = parseCliArguments(
      [
        '--projects',
        '20000',
        '--runners',
        '2000',
        '--seed',
        '3',
        '--rate-limit',
        '50',
        '--fault-429',
        '0.05',
        '--fault-500',
        '0.02',
        '--latency-ms',
        '50',
        '--fail-path',
        '/api/v4/runners/7',
        '--fail-path',
        '/api/v4/projects/*=503',
      ],
      {},
    );
    expect(options).toEqual(
      expect.objectContaining({
        port: 8929,
        projects: 20000,
        runners: 2000,
        seed: 3,
        rateLimit: 50,
        fault429: 0.05,
        fault500: 0.02,
        latencyMs: 50,
        logLevel: 'info',
        failPaths: [
          '/api/v4/runners/7',
          { pattern: '/api/v4/projects/*', status: 503 },
        ],
      }),
    );
  });

  it('reads the token from the environment', () => {
    expect(
      parseCliArguments([], { GITLAB_SIMULATOR_TOKEN: 'glpat-from-env' }),
    ).toEqual(expect.objectContaining({ token: 'glpat-from-env' }));
  });

  it('names the value and the fix on bad input', () => {
    expect(() => parseCliArguments(['--projects', 'many'], {})).toThrow(
      '--projects is "many"; use a whole number.',
    );
    expect(() => parseCliArguments(['--fault-429', 'often'], {})).toThrow(
      '--fault-429 is "often"; use a number from 0 to 1, such as 0.05.',
    );
    expect(() => parseCliArguments(['--colour'], {})).toThrow(/--help/);
  });

  it('returns help for --help', () => {
    expect(parseCliArguments(['--help'], {})).toBe('help');
  });
});
