import { parseDocument } from 'yaml';
import type { z } from 'zod';

/** One problem in a configuration file, with the field it concerns. */
export interface ConfigurationIssue {
  /** Dotted path of the field, for example `waivers[0].expires`; empty for the whole file. */
  field: string;
  message: string;
  /** 1-based line of the field when the source text is known. */
  line?: number;
}

/**
 * Raised when an engine configuration, a rules file or a waiver file is
 * invalid. The message lists every issue with its field, so the user can
 * fix them all in one pass.
 */
export class ConfigurationError extends Error {
  readonly source: string;
  readonly issues: ConfigurationIssue[];

  constructor(source: string, issues: ConfigurationIssue[]) {
    const lines = issues.map(issue => {
      const where = issue.field ? ` at ${issue.field}` : '';
      const line = issue.line ? ` (line ${issue.line})` : '';
      return `  - ${source}${where}${line}: ${issue.message}`;
    });
    super(
      `Invalid ${source}; fix these ${
        issues.length === 1 ? 'problem' : `${issues.length} problems`
      }:\n${lines.join('\n')}`,
    );
    this.name = 'ConfigurationError';
    this.source = source;
    this.issues = issues;
  }
}

/** Formats a zod issue path as `a.b[0].c`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
    } else {
      result += result ? `.${String(segment)}` : String(segment);
    }
  }
  return result;
}

/**
 * Parses YAML (or JSON, which is YAML) text into plain data, raising a
 * ConfigurationError with the line of the first syntax error.
 */
export function parseConfigurationYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const issues = document.errors.map(error => ({
      field: '',
      message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      line: error.linePos?.[0]?.line,
    }));
    throw new ConfigurationError(source, issues);
  }
  return document.toJS() ?? {};
}

/**
 * Validates `data` with `schema`, raising a ConfigurationError that names
 * each invalid field. When `text` is given, issues carry the line of the
 * field in that text.
 */
export function validateConfiguration<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string,
  text?: string,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) {
    return result.data;
  }
  const lineOf = text ? createFieldLineFinder(text) : undefined;
  const issues = result.error.issues.map(issue => ({
    field: formatFieldPath(issue.path),
    message: describeIssue(issue),
    line: lineOf?.(issue.path),
  }));
  throw new ConfigurationError(source, issues);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
      .map(key => JSON.stringify(key))
      .join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
  }
  return issue.message;
}

function createFieldLineFinder(text: string) {
  const document = parseDocument(text);
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\n') {
      lineStarts.push(index + 1);
    }
  }
  const lineAt = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low + 1;
  };
  return (path: ReadonlyArray<PropertyKey>): number | undefined => {
    // Walk down as far as the path exists, so a missing field reports the
    // line of its parent.
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(
        path.slice(0, length) as Array<string | number>,
        true,
      ) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        return lineAt(node.range[0]);
      }
    }
    return undefined;
  };
}
