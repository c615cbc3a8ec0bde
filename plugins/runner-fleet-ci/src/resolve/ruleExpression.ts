/**
 * A three-valued evaluator for `rules:if` expressions, used for
 * `include:rules`. Variables the resolver knows (predefined ones such as
 * GITLAB_CI, top-level `variables`, caller-supplied values) are compared;
 * anything that depends on an unknown variable, such as `$CI_COMMIT_TAG`,
 * evaluates to `undefined`, meaning "cannot tell offline".
 *
 * Supported: `$VAR`, `"string"` and `'string'`, `null`, `/regex/flags`,
 * `==`, `!=`, `=~`, `!~`, `&&`, `||` and parentheses. An expression that
 * does not parse also evaluates to `undefined`.
 */
export type Tristate = boolean | undefined;

type Token =
  | { type: 'variable'; name: string }
  | { type: 'string'; value: string }
  | { type: 'regex'; source: string; flags: string }
  | { type: 'null' }
  | {
      type: 'operator';
      value: '==' | '!=' | '=~' | '!~' | '&&' | '||' | '(' | ')';
    };

/** A value during evaluation; `unknown` marks a variable the resolver cannot see. */
type Operand =
  | { kind: 'string'; value: string | null }
  | { kind: 'regex'; pattern: RegExp | undefined }
  | { kind: 'unknown' };

class ExpressionSyntaxError extends Error {}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const operator = /^(==|!=|=~|!~|&&|\|\||\(|\))/.exec(rest);
    if (operator) {
      tokens.push({ type: 'operator', value: operator[1] as never });
      i += operator[0].length;
      continue;
    }
    const variable =
      /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(rest);
    if (variable) {
      tokens.push({ type: 'variable', name: variable[1] ?? variable[2] });
      i += variable[0].length;
      continue;
    }
    const string = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(rest);
    if (string) {
      tokens.push({
        type: 'string',
        value: (string[1] ?? string[2]).replace(/\\(.)/g, '$1'),
      });
      i += string[0].length;
      continue;
    }
    const regex = /^\/((?:[^/\\]|\\.)*)\/([a-z]*)/.exec(rest);
    if (regex) {
      tokens.push({ type: 'regex', source: regex[1], flags: regex[2] });
      i += regex[0].length;
      continue;
    }
    if (/^null\b/.test(rest)) {
      tokens.push({ type: 'null' });
      i += 4;
      continue;
    }
    throw new ExpressionSyntaxError(`unexpected text at ${i}`);
  }
  return tokens;
}

/** Evaluates `expression` with `variables`; returns undefined when the outcome cannot be known. */
export function evaluateRuleIf(
  expression: string,
  variables: ReadonlyMap<string, string>,
): Tristate {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch {
    return undefined;
  }
  let position = 0;
  const peek = () => tokens[position];
  const isOperator = (value: string) => {
    const token = peek();
    return token?.type === 'operator' && token.value === value;
  };

  function parseOperand(): Operand {
    const token = tokens[position++];
    if (!token) throw new ExpressionSyntaxError('missing operand');
    switch (token.type) {
      case 'variable': {
        const value = variables.get(token.name);
        return value === undefined
          ? { kind: 'unknown' }
          : { kind: 'string', value };
      }
      case 'string':
        return { kind: 'string', value: token.value };
      case 'null':
        return { kind: 'string', value: null };
      case 'regex': {
        let pattern: RegExp | undefined;
        try {
          pattern = new RegExp(
            token.source,
            token.flags.replace(/[^imsu]/g, ''),
          );
        } catch {
          pattern = undefined;
        }
        return { kind: 'regex', pattern };
      }
      default:
        throw new ExpressionSyntaxError('unexpected operator');
    }
  }

  function parseComparison(): Tristate {
    if (isOperator('(')) {
      position++;
      const inner = parseOr();
      if (!isOperator(')')) throw new ExpressionSyntaxError('missing )');
      position++;
      return inner;
    }
    const left = parseOperand();
    const token = peek();
    if (
      token?.type === 'operator' &&
      ['==', '!=', '=~', '!~'].includes(token.value)
    ) {
      position++;
      const right = parseOperand();
      return compare(left, token.value, right);
    }
    if (left.kind === 'unknown') return undefined;
    if (left.kind === 'string') return left.value !== null && left.value !== '';
    throw new ExpressionSyntaxError('a regex cannot stand alone');
  }

  function parseAnd(): Tristate {
    let result = parseComparison();
    while (isOperator('&&')) {
      position++;
      const right = parseComparison();
      result = andTristate(result, right);
    }
    return result;
  }

  function parseOr(): Tristate {
    let result = parseAnd();
    while (isOperator('||')) {
      position++;
      const right = parseAnd();
      result = orTristate(result, right);
    }
    return result;
  }

  try {
    const result = parseOr();
    return position === tokens.length ? result : undefined;
  } catch {
    return undefined;
  }
}

/** Kleene's three-valued AND: false wins, then unknown. */
function andTristate(left: Tristate, right: Tristate): Tristate {
  if (left === false || right === false) return false;
  if (left === true && right === true) return true;
  return undefined;
}

/** Kleene's three-valued OR: true wins, then unknown. */
function orTristate(left: Tristate, right: Tristate): Tristate {
  if (left === true || right === true) return true;
  if (left === false && right === false) return false;
  return undefined;
}

function compare(left: Operand, operator: string, right: Operand): Tristate {
  if (left.kind === 'unknown' || right.kind === 'unknown') return undefined;
  if (operator === '==' || operator === '!=') {
    if (left.kind !== 'string' || right.kind !== 'string') return undefined;
    const equal = left.value === right.value;
    return operator === '==' ? equal : !equal;
  }
  let text: string | null = null;
  if (left.kind === 'string') text = left.value;
  else if (right.kind === 'string') text = right.value;
  let regex: RegExp | undefined;
  if (right.kind === 'regex') regex = right.pattern;
  else if (left.kind === 'regex') regex = left.pattern;
  if (!regex) return undefined;
  const matches = text !== null && regex.test(text);
  return operator === '=~' ? matches : !matches;
}
