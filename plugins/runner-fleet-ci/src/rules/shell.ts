import { parse as parseShellWords } from 'shell-quote';

/** One simple command in a script line, for example `docker build -t x .`. */
export interface ShellCommand {
  /** The command's base name, for example `docker` for `/usr/bin/docker`. */
  name: string;
  /** The command word as written, for example `/usr/bin/docker`. */
  word: string;
  args: string[];
  /** True when the command ends with `&` and runs in the background. */
  background: boolean;
  /** True when stdout and stderr are both redirected, for example `> log 2>&1`. */
  outputRedirected: boolean;
  /** 0-based index of the line within the script item where the command starts. */
  lineOffset: number;
  /** The logical line the command came from, continuation lines joined. */
  line: string;
}

/** Words that start a compound command; the word after them is a command. */
const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  '{',
  '}',
  '!',
  'time',
]);

/** Prefix commands that run the command after them. */
const WRAPPERS = new Set([
  'sudo',
  'nohup',
  'exec',
  'command',
  'env',
  'nice',
  'timeout',
  'stdbuf',
  'setsid',
  'xargs',
  'eval',
  'npx',
  'pnpx',
  'bunx',
]);

/** Options of wrappers that take a separate argument. */
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']),
  nice: new Set(['-n']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  env: new Set(['-u', '-C', '-S']),
  xargs: new Set(['-I', '-n', '-P', '-d', '-E', '-L', '-s', '-a']),
  npx: new Set(['-p', '--package', '-c', '--call']),
};

const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', '(', ')', ';;']);

type Token = string | { op: string } | { comment: string } | { op: 'glob'; pattern: string };

/**
 * Splits a script item into simple commands. Quoting, `&&`, `||`, pipes,
 * `;`, `&`, subshells, `$(...)`, backticks, continuation lines and heredoc
 * bodies are handled; words in quotes are never taken as commands.
 *
 * NOTE: this is a lexical approximation of POSIX shell built on the
 * shell-quote tokenizer. It does not expand variables or aliases, and a
 * command inside a double-quoted `"$(...)"` is not found.
 */
export function parseShellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const { text, lineOffset } of logicalLines(script)) {
    commands.push(...commandsInLine(text, lineOffset));
  }
  return commands;
}

interface LogicalLine {
  text: string;
  lineOffset: number;
}

function logicalLines(script: string): LogicalLine[] {
  const physical = script.split('\n');
  const result: LogicalLine[] = [];
  let heredocEnd: string | undefined;
  let heredocStripsTabs = false;
  let pending: LogicalLine | undefined;

  for (let index = 0; index < physical.length; index++) {
    const line = physical[index];
    if (heredocEnd !== undefined) {
      const candidate = heredocStripsTabs ? line.replace(/^\t+/, '') : line;
      if (candidate.trim() === heredocEnd) {
        heredocEnd = undefined;
      }
      continue;
    }
    const current: LogicalLine = pending
      ? { text: `${pending.text} ${line}`, lineOffset: pending.lineOffset }
      : { text: line, lineOffset: index };
    if (/(^|[^\\])\\$/.test(line)) {
      pending = { text: current.text.slice(0, -1), lineOffset: current.lineOffset };
      continue;
    }
    pending = undefined;
    result.push(current);

    const heredoc = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(current.text);
    if (heredoc && !/<<</.test(current.text)) {
      heredocEnd = heredoc[3];
      heredocStripsTabs = heredoc[1] === '-';
    }
  }
  if (pending) {
    result.push(pending);
  }
  return result;
}

interface Redirection {
  fd: number;
  op: string;
  target: string;
}

const REDIRECTION_OPS = new Set(['>', '>>', '>&', '<', '<&', '<>', '>|', '&>', '&>>', '<<', '<<<', '<<-']);

function commandsInLine(line: string, lineOffset: number): ShellCommand[] {
  // Backticks delimit command substitution; treating them as separators puts
  // the command inside them at a command position.
  const prepared = line.replace(/`/g, ' ; ');
  let tokens: Token[];
  try {
    tokens = parseShellWords(prepared, name => `$${name}`) as Token[];
  } catch {
    // shell-quote throws on some malformed input; such a line has no
    // commands that we can identify reliably.
    return [];
  }

  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let redirections: Redirection[] = [];

  const finish = (background: boolean) => {
    const command = toCommand(words, redirections, background, lineOffset, line);
    if (command) {
      commands.push(command);
    }
    words = [];
    redirections = [];
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (typeof token === 'string') {
      if (/^\d$/.test(token) && isRedirection(next)) {
        // A file descriptor number such as the `2` of `2>&1`.
        continue;
      }
      // `x=$(cmd)` tokenizes as `x=$` followed by `(`: drop the `$`.
      words.push(token.endsWith('$') ? token.slice(0, -1) : token);
      continue;
    }
    if ('comment' in token) {
      break;
    }
    if (token.op === 'glob') {
      words.push((token as { pattern: string }).pattern);
      continue;
    }
    if (SEPARATORS.has(token.op)) {
      finish(token.op === '&');
      continue;
    }
    const previous = tokens[index - 1];
    const defaultFd = token.op.startsWith('<') ? 0 : 1;
    const fd =
      typeof previous === 'string' && /^\d$/.test(previous)
        ? Number(previous)
        : defaultFd;
    redirections.push({
      fd: token.op.startsWith('&') ? -1 : fd,
      op: token.op,
      target: typeof next === 'string' ? next : '',
    });
    if (typeof next === 'string') {
      index++;
    }
  }
  finish(false);
  return commands;
}

function isRedirection(token: Token | undefined): boolean {
  return (
    token !== undefined &&
    typeof token === 'object' &&
    'op' in token &&
    REDIRECTION_OPS.has(token.op)
  );
}

function toCommand(
  words: string[],
  redirections: Redirection[],
  background: boolean,
  lineOffset: number,
  line: string,
): ShellCommand | undefined {
  let index = 0;
  while (index < words.length) {
    const word = words[index];
    if (
      word === '' ||
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) ||
      KEYWORDS.has(word)
    ) {
      index++;
      continue;
    }
    const base = baseName(word);
    if (WRAPPERS.has(base) && index + 1 < words.length) {
      index = skipWrapperArguments(base, words, index + 1);
      continue;
    }
    break;
  }
  if (index >= words.length) {
    return undefined;
  }
  const word = words[index];
  return {
    name: baseName(word),
    word,
    args: words.slice(index + 1),
    background,
    outputRedirected: redirectsStdoutAndStderr(redirections),
    lineOffset,
    line,
  };
}

function skipWrapperArguments(
  wrapper: string,
  words: string[],
  start: number,
): number {
  let index = start;
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[wrapper] ?? new Set<string>();
  while (index < words.length) {
    const word = words[index];
    if (word === '--') {
      return index + 1;
    }
    if (word.startsWith('-')) {
      index += withValue.has(word) ? 2 : 1;
      continue;
    }
    if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      index++;
      continue;
    }
    if (wrapper === 'nice' || wrapper === 'timeout') {
      // `timeout 30 cmd`: the first operand is the duration.
      if (/^\d+(\.\d+)?[smhd]?$/.test(word)) {
        return index + 1;
      }
    }
    return index;
  }
  return index;
}

/** True when both stdout and stderr leave the job log, as in `> log 2>&1` or `&> log`. */
function redirectsStdoutAndStderr(redirections: Redirection[]): boolean {
  let stdout = false;
  let stderr = false;
  for (const { fd, op, target } of redirections) {
    if (op.startsWith('<')) {
      continue;
    }
    if (fd === -1) {
      stdout = true;
      stderr = true;
    } else if (fd === 1) {
      stdout = true;
    } else if (fd === 2) {
      // `2>&1` follows stdout; it only leaves the log when stdout did.
      stderr = op === '>&' && target === '1' ? stdout : true;
    }
  }
  return stdout && stderr;
}

function baseName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}
