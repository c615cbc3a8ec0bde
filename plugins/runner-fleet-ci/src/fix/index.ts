import { CST, Parser, isMap, parseAllDocuments, parseDocument } from 'yaml';
import type { ResolvedPipeline } from '../model';
import type { AutoFix } from '../rules/types';
import type { Finding } from '../score/types';

/** A file rewritten by automatic fixes. */
export interface FixedFile {
  file: string;
  original: string;
  updated: string;
}

export interface FixResult {
  files: FixedFile[];
  applied: AutoFix[];
  /** Fixes that were not applied, with the reason. */
  skipped: Array<{ fix: AutoFix; reason: string }>;
}

/** Files that come from outside the checkout and must not be rewritten. */
const EXTERNAL_FILE = /^(project|template|remote|component):/;

/**
 * Applies the automatic fixes of unwaived findings to the files the
 * resolver read, and returns the new texts. Edits are made on the source
 * text at the offsets of the `yaml` package's CST tokens, so every byte
 * outside the edited values (comments, blank lines, quoting, layout) stays
 * as it was. Files from other projects, templates and remote includes are
 * never changed. Nothing is written to disk.
 */
export function applyFixes(pipeline: ResolvedPipeline, findings: Finding[]): FixResult {
  const result: FixResult = { files: [], applied: [], skipped: [] };
  const byFile = new Map<string, AutoFix[]>();
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.autoFix;
    if (!fix || finding.waived) {
      continue;
    }
    const key = `${fix.kind}:${fix.location.file}:${fix.location.line}:${fix.location.column ?? 0}:${fix.expected}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    if (EXTERNAL_FILE.test(fix.location.file)) {
      result.skipped.push({
        fix,
        reason: `${fix.location.file} is not a file of this checkout; change it in its own project.`,
      });
      continue;
    }
    const list = byFile.get(fix.location.file) ?? [];
    list.push(fix);
    byFile.set(fix.location.file, list);
  }

  for (const [file, fixes] of byFile) {
    const original = pipeline.files.find(candidate => candidate.file === file)?.text;
    if (original === undefined) {
      for (const fix of fixes) {
        result.skipped.push({ fix, reason: `The text of ${file} is not available.` });
      }
      continue;
    }
    // Edit from the end of the file backwards so that earlier offsets stay valid.
    const ordered = [...fixes].sort(
      (a, b) => b.location.line - a.location.line || (b.location.column ?? 0) - (a.location.column ?? 0),
    );
    let text = original;
    const applied: AutoFix[] = [];
    for (const fix of ordered) {
      const edited = applyOne(text, fix, pipeline);
      if (typeof edited === 'string') {
        text = edited;
        applied.push(fix);
      } else {
        result.skipped.push({ fix, reason: edited.reason });
      }
    }
    if (text === original) {
      continue;
    }
    const check = parseDocument(text);
    if (check.errors.length > 0) {
      for (const fix of applied) {
        result.skipped.push({
          fix,
          reason: `The fixed ${file} would not parse (${check.errors[0].message.split('\n')[0]}), so it was left unchanged.`,
        });
      }
      continue;
    }
    result.applied.push(...applied);
    result.files.push({ file, original, updated: text });
  }
  return result;
}

interface TokenMatch {
  token: CST.Token;
  item: CST.CollectionItem;
  parent?: CST.Token;
  document: CST.Document;
  /** The CST path of `item` inside `document`. */
  path: CST.VisitPath;
}

function applyOne(
  text: string,
  fix: AutoFix,
  pipeline: ResolvedPipeline,
): string | { reason: string } {
  const offset = offsetOf(text, fix.location.line, fix.location.column);
  if (offset === undefined) {
    return { reason: `Line ${fix.location.line} does not exist in ${fix.location.file}.` };
  }
  const match = findScalarAt(text, offset, fix.expected, fix.location.column === undefined);
  if (!match) {
    return {
      reason: `${fix.location.file}:${fix.location.line} no longer holds ${JSON.stringify(
        fix.expected,
      )}; run the check again.`,
    };
  }
  return fix.kind === 'remove-sequence-item'
    ? removeItem(text, match, pipeline)
    : replaceInScalar(text, match, fix.search, fix.replacement);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\n') {
      starts.push(index + 1);
    }
  }
  return starts;
}

function offsetOf(text: string, line: number, column?: number): number | undefined {
  const starts = lineStarts(text);
  if (line < 1 || line > starts.length) {
    return undefined;
  }
  return starts[line - 1] + Math.max(0, (column ?? 1) - 1);
}

/**
 * Finds the scalar token that starts at `offset` (or, without a column,
 * the first one on that line) and whose value is `expected`.
 */
function findScalarAt(
  text: string,
  offset: number,
  expected: string,
  lineOnly: boolean,
): TokenMatch | undefined {
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const documents = [...new Parser().parse(text)].filter(
    (token): token is CST.Document => token.type === 'document',
  );
  for (const document of documents) {
    const found = findInDocument(document, offset, lineEnd, expected, lineOnly);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function findInDocument(
  document: CST.Document,
  offset: number,
  lineEnd: number,
  expected: string,
  lineOnly: boolean,
): TokenMatch | undefined {
  let found: TokenMatch | undefined;
  CST.visit(document, (item, path) => {
    const token = item.value;
    if (
      !token ||
      (token.type !== 'scalar' &&
        token.type !== 'single-quoted-scalar' &&
        token.type !== 'double-quoted-scalar' &&
        token.type !== 'block-scalar')
    ) {
      return undefined;
    }
    const inRange = lineOnly
      ? token.offset >= offset && token.offset <= lineEnd
      : token.offset === offset ||
        (token.type === 'block-scalar' &&
          token.offset <= offset &&
          offset < token.offset + CST.stringify(token).length);
    if (!inRange || CST.resolveAsScalar(token)?.value !== expected) {
      return undefined;
    }
    const parentCollection = CST.visit.parentCollection(document, path);
    found = { token, item, parent: parentCollection as unknown as CST.Token, document, path };
    return CST.visit.BREAK;
  });
  return found;
}

function removeItem(
  text: string,
  match: TokenMatch,
  pipeline: ResolvedPipeline,
): string | { reason: string } {
  const { token, parent } = match;
  if (!parent || parent.type === 'block-map' || parent.type === 'document') {
    // `tags: docker` written as a single string: remove the key, or replace
    // the value by an empty list where the key must stay.
    const valueEnd = token.offset + scalarLength(token);
    const key = removableTagsKey(match, match.path, pipeline);
    return (
      (key && removeKeyLine(text, key, valueEnd)) ??
      splice(text, token.offset, valueEnd, '[]')
    );
  }
  if (parent.type === 'flow-collection') {
    if (parent.items.length === 1) {
      const key = removableTagsKey(match, match.path.slice(0, -1), pipeline);
      const close = parent.end.find(part => part.type === 'flow-seq-end');
      const removed = key && close ? removeKeyLine(text, key, close.offset + 1) : undefined;
      if (removed !== undefined) {
        return removed;
      }
    }
    return removeFlowItem(text, parent, token);
  }
  if (parent.type === 'block-seq') {
    const key =
      parent.items.length === 1
        ? removableTagsKey(match, match.path.slice(0, -1), pipeline)
        : undefined;
    return (key && removeBlockKey(text, key, token)) ?? removeBlockItem(text, parent, token);
  }
  return { reason: 'The value is not a list entry.' };
}

/**
 * Returns the `tags` key at `keyPath` when the job may lose the key instead
 * of keeping `tags: []`. GitLab runs a job with `tags: []` untagged even
 * when `default:tags`, an `extends` parent or a `<<` merge sets tags, but a
 * missing key inherits them. GitLab's own ci.json schema also rejects an
 * empty list, so the key goes wherever nothing could be inherited. The key
 * stays when a hidden job owns it (other jobs may extend it), and when an
 * anchor or a YAML tag is attached to it.
 */
function removableTagsKey(
  match: TokenMatch,
  keyPath: CST.VisitPath,
  pipeline: ResolvedPipeline,
): CST.CollectionItem | undefined {
  if (keyPath.length !== 2) {
    return undefined;
  }
  const keyItem = CST.visit.itemAtPath(match.document, keyPath);
  const ownerMap = CST.visit.parentCollection(match.document, keyPath);
  const ownerItem = CST.visit.itemAtPath(match.document, keyPath.slice(0, 1));
  if (!keyItem?.key || scalarText(keyItem.key) !== 'tags' || ownerMap.type !== 'block-map') {
    return undefined;
  }
  const decorated = (tokens: CST.SourceToken[] | undefined) =>
    (tokens ?? []).some(part => part.type === 'anchor' || part.type === 'tag');
  if (decorated(keyItem.sep) || decorated(ownerItem?.sep) || ownerMap.items.length < 2) {
    return undefined;
  }
  const owner = ownerItem?.key ? scalarText(ownerItem.key) : undefined;
  if (owner === 'default') {
    return keyItem;
  }
  if (owner === undefined || owner.startsWith('.')) {
    return undefined;
  }
  const ownKeys = ownerMap.items.map(item => (item.key ? scalarText(item.key) : undefined));
  if (ownKeys.includes('extends') || ownKeys.includes('<<') || hasDefaultTags(pipeline)) {
    return undefined;
  }
  return keyItem;
}

/** Tells whether any file of the pipeline sets `default:tags`. */
function hasDefaultTags(pipeline: ResolvedPipeline): boolean {
  return pipeline.files.some(file =>
    parseAllDocuments(file.text).some(document => {
      if (!('get' in document)) {
        return false;
      }
      const section = document.get('default');
      return isMap(section) && section.has('tags');
    }),
  );
}

function scalarText(token: CST.Token): string | undefined {
  return CST.isScalar(token) ? CST.resolveAsScalar(token)?.value : undefined;
}

/**
 * Removes the line of a key whose whole value ends on that line at
 * `valueEnd`. A comment after the value stays, alone on the line. Returns
 * undefined when other text shares the line.
 */
function removeKeyLine(text: string, keyItem: CST.CollectionItem, valueEnd: number): string | undefined {
  const starts = lineStarts(text);
  const keyOffset = keyItem.key!.offset;
  const lineIndex = lineIndexAt(starts, keyOffset);
  if (lineIndexAt(starts, valueEnd) !== lineIndex) {
    return undefined;
  }
  const lineStart = starts[lineIndex];
  const nextLineStart = lineIndex + 1 < starts.length ? starts[lineIndex + 1] : text.length;
  const indent = text.slice(lineStart, keyOffset);
  const rest = /^[ \t]*(#[^\r\n]*)?(\r?\n)?$/.exec(text.slice(valueEnd, nextLineStart));
  if (!/^[ \t]*$/.test(indent) || !rest) {
    return undefined;
  }
  const replacement = rest[1] ? `${indent}${rest[1]}${rest[2] ?? ''}` : '';
  return splice(text, lineStart, nextLineStart, replacement);
}

/**
 * Removes a block sequence's last entry together with its key line. Comment
 * lines between the key and the entry stay where they are.
 */
function removeBlockKey(text: string, keyItem: CST.CollectionItem, token: CST.Token): string | undefined {
  const starts = lineStarts(text);
  const itemLine = lineIndexAt(starts, token.offset);
  const itemEnd = itemLine + 1 < starts.length ? starts[itemLine + 1] : text.length;
  const withoutItem = splice(text, starts[itemLine], itemEnd, '');
  // The key ends where its `:` indicator is, so its value ends there too.
  const indicator = keyItem.sep?.find(part => part.type === 'map-value-ind');
  if (!indicator || lineIndexAt(starts, indicator.offset) >= itemLine) {
    return undefined;
  }
  return removeKeyLine(withoutItem, keyItem, indicator.offset + 1);
}

function scalarLength(token: CST.Token): number {
  return 'source' in token && typeof token.source === 'string' ? token.source.length : 0;
}

function removeFlowItem(
  text: string,
  parent: CST.FlowCollection,
  token: CST.Token,
): string {
  const index = parent.items.findIndex(item => item.value === token);
  const item = parent.items[index];
  const end = token.offset + scalarLength(token);
  if (parent.items.length === 1) {
    return splice(text, token.offset, end, '');
  }
  const comma = item.start.find(part => part.type === 'comma');
  if (comma) {
    // `a, docker` → `a`: remove from the comma before the item.
    return splice(text, comma.offset, end, '');
  }
  // First item: remove up to the start of the next value.
  const next = parent.items[index + 1];
  const nextStart = next.value?.offset ?? end;
  return splice(text, token.offset, nextStart, '');
}

function removeBlockItem(text: string, parent: CST.BlockSequence, token: CST.Token): string {
  const starts = lineStarts(text);
  const lineIndex = lineIndexAt(starts, token.offset);
  const lineStart = starts[lineIndex];
  const nextLineStart = lineIndex + 1 < starts.length ? starts[lineIndex + 1] : text.length;
  if (parent.items.length > 1) {
    return splice(text, lineStart, nextLineStart, '');
  }
  // Last entry: write `key: []` so the job keeps an explicit empty list and
  // does not fall back to `default:tags`.
  const withoutItem = splice(text, lineStart, nextLineStart, '');
  for (let index = lineIndex - 1; index >= 0; index--) {
    const line = withoutItem.slice(starts[index], starts[index + 1] - 1);
    const keyMatch = /^(\s*(?:- )?[^#\s][^#]*?:)(\s*)(#.*)?$/.exec(line);
    if (keyMatch) {
      const insertAt = starts[index] + keyMatch[1].length;
      return splice(withoutItem, insertAt, insertAt, ' []');
    }
    if (line.trim() !== '' && !line.trim().startsWith('#')) {
      break;
    }
  }
  return splice(text, token.offset, token.offset + scalarLength(token), '[]');
}

function lineIndexAt(starts: number[], offset: number): number {
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1] <= offset) {
    index++;
  }
  return index;
}

function replaceInScalar(
  text: string,
  match: TokenMatch,
  search: string,
  replacement: string,
): string | { reason: string } {
  const token = match.token as CST.FlowScalar | CST.BlockScalar;
  const before = CST.stringify(token);
  const value = CST.resolveAsScalar(token)?.value ?? '';
  const updatedValue = value.split(search).join(replacement);
  if (updatedValue === value) {
    return { reason: `The value does not contain ${JSON.stringify(search)}.` };
  }
  const inFlow = match.parent?.type === 'flow-collection';
  if (token.type === 'scalar' && inFlow) {
    // `{` and `}` are flow indicators, so the new value needs quotes there.
    CST.setScalarValue(token, updatedValue, { type: 'QUOTE_DOUBLE' });
    return splice(text, token.offset, token.offset + before.length, CST.stringify(token));
  }
  // Elsewhere the search and replacement texts mean the same in every
  // scalar style, so replacing them in the source keeps the indentation,
  // folding and quoting exactly as written.
  const start = token.offset;
  const source = text.slice(start, start + before.length);
  if (!source.includes(search)) {
    return { reason: `The source of the value does not contain ${JSON.stringify(search)} on one line.` };
  }
  return splice(text, start, start + before.length, source.split(search).join(replacement));
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
