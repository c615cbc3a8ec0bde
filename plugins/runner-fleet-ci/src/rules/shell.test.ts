import { parseShellCommands } from './shell';

const names = (script: string) => parseShellCommands(script).map(command => command.name);

describe('parseShellCommands', () => {
  it('splits on operators and keeps quoted words', () => {
    expect(names('echo "docker build" && docker build . | tee log; make')).toEqual(['echo', 'docker', 'tee', 'make']);
  });

  it('finds commands in substitutions', () => {
    expect(names('ID=$(docker ps -q)')).toEqual(['docker']);
    expect(names('echo `hostname`')).toEqual(['echo', 'hostname']);
  });

  it('skips wrappers and assignments', () => {
    expect(names('FOO=1 sudo -u ci nohup timeout 30 ping -c1 db')).toEqual(['ping']);
    expect(names('npx --yes wait-on tcp:5432')).toEqual(['wait-on']);
  });

  it('skips heredoc bodies', () => {
    expect(names('cat <<EOF > f\nping db\nEOF\nmake')).toEqual(['cat', 'make']);
  });

  it('joins continuation lines and reports the first line offset', () => {
    const commands = parseShellCommands('echo a\ndocker build \\\n  -t x .');
    expect(commands[1]).toMatchObject({ name: 'docker', lineOffset: 1, args: ['build', '-t', 'x', '.'] });
  });

  it('marks background commands and redirections', () => {
    const [plain, redirected, both] = parseShellCommands('a &\nb > log 2>&1 &\nc &> log &');
    expect(plain).toMatchObject({ background: true, outputRedirected: false });
    expect(redirected).toMatchObject({ background: true, outputRedirected: true });
    expect(both).toMatchObject({ background: true, outputRedirected: true });
  });

  it('ignores comments and keywords', () => {
    expect(names('if [ -f x ]; then make; fi # docker build')).toEqual(['[', 'make']);
  });

  it('survives unbalanced quotes', () => {
    expect(() => parseShellCommands('echo "unterminated')).not.toThrow();
  });
});
