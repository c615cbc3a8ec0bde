import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import type {
  ResolvedJob,
  ResolvedPipeline,
  SourceLocation,
  ValuePath,
} from '../model';
import { parseShellCommands, type ShellCommand } from './shell';

/**
 * Read helpers that turn a resolved job definition into typed values with
 * their paths, so rules stay short and every rule reads a keyword the same
 * way.
 */

export const SCRIPT_KEYS = ['before_script', 'script', 'after_script'] as const;
export type ScriptKey = (typeof SCRIPT_KEYS)[number];

/** One entry of `before_script`, `script` or `after_script`. */
export interface ScriptItem {
  key: ScriptKey;
  text: string;
  path: ValuePath;
}

/** A shell command together with the script item it came from. */
export interface LocatedCommand {
  command: ShellCommand;
  item: ScriptItem;
}

export interface ImageReference {
  name: string;
  /** Path of the value that names the image: `['image']` or `['image', 'name']`. */
  path: ValuePath;
  entrypoint?: { value: string[]; path: ValuePath };
  /** The `docker` and `kubernetes` executor options of `image` or a service. */
  executorOptions: Record<string, unknown>;
  basePath: ValuePath;
}

export interface ServiceReference extends ImageReference {
  alias?: string;
  command?: string[];
  variables: Record<string, unknown>;
  index: number;
}

/** A variable visible to the job, set on the job itself or at the top level. */
export interface JobVariable {
  name: string;
  value: string;
  scope: 'job' | 'global';
  location?: SourceLocation;
}

/** True for jobs that a runner executes; trigger jobs run no script. */
export function runsOnRunner(job: ResolvedJob): boolean {
  return job.definition.trigger === undefined;
}

/** Returns where `path` was written, or the job's own key when it cannot be found. */
export function locateOrJob(job: ResolvedJob, path: ValuePath): SourceLocation {
  return job.locate(path) ?? job.location;
}

/** Lists the job's tags with their paths; non-string entries are skipped. */
export function jobTags(job: ResolvedJob): Array<{ tag: string; path: ValuePath }> {
  const tags = job.definition.tags;
  if (typeof tags === 'string') {
    return [{ tag: tags, path: ['tags'] }];
  }
  if (!Array.isArray(tags)) {
    return [];
  }
  return tags.flatMap((tag, index) =>
    typeof tag === 'string' || typeof tag === 'number'
      ? [{ tag: String(tag), path: ['tags', index] }]
      : [],
  );
}

/** Lists every script line of the job in run order, with nested lists flattened. */
export function scriptItems(job: ResolvedJob): ScriptItem[] {
  const items: ScriptItem[] = [];
  for (const key of SCRIPT_KEYS) {
    collectScript(job.definition[key], [key], key, items);
  }
  return items;
}

function collectScript(
  value: unknown,
  path: ValuePath,
  key: ScriptKey,
  items: ScriptItem[],
): void {
  if (typeof value === 'string') {
    items.push({ key, text: value, path });
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    items.push({ key, text: String(value), path });
  } else if (Array.isArray(value)) {
    value.forEach((entry, index) =>
      collectScript(entry, [...path, index], key, items),
    );
  }
}

const commandCache = new WeakMap<ResolvedJob, LocatedCommand[]>();

/** Lists the shell commands of every script line of the job. */
export function jobCommands(job: ResolvedJob): LocatedCommand[] {
  const cached = commandCache.get(job);
  if (cached) {
    return cached;
  }
  const commands = scriptItems(job).flatMap(item =>
    parseShellCommands(item.text).map(command => ({ command, item })),
  );
  commandCache.set(job, commands);
  return commands;
}

/** Reads `image` as a string or as `{ name, entrypoint, docker, kubernetes }`. */
export function jobImage(job: ResolvedJob): ImageReference | undefined {
  return readImage(job.definition.image, ['image']);
}

function readImage(value: unknown, basePath: ValuePath): ImageReference | undefined {
  if (typeof value === 'string') {
    return { name: value, path: basePath, executorOptions: {}, basePath };
  }
  if (!isRecord(value) || typeof value.name !== 'string') {
    return undefined;
  }
  const entrypoint = toStringList(value.entrypoint);
  const executorOptions: Record<string, unknown> = {};
  for (const executor of ['docker', 'kubernetes']) {
    if (value[executor] !== undefined) {
      executorOptions[executor] = value[executor];
    }
  }
  return {
    name: value.name,
    path: [...basePath, 'name'],
    entrypoint: entrypoint
      ? { value: entrypoint, path: [...basePath, 'entrypoint'] }
      : undefined,
    executorOptions,
    basePath,
  };
}

/** Reads `services` entries written as strings or maps. */
export function jobServices(job: ResolvedJob): ServiceReference[] {
  const services = job.definition.services;
  if (!Array.isArray(services)) {
    return [];
  }
  const result: ServiceReference[] = [];
  services.forEach((service, index) => {
    const image = readImage(service, ['services', index]);
    if (!image) {
      return;
    }
    const record = isRecord(service) ? service : {};
    result.push({
      ...image,
      index,
      alias: typeof record.alias === 'string' ? record.alias : undefined,
      command: toStringList(record.command),
      variables: isRecord(record.variables) ? record.variables : {},
    });
  });
  return result;
}

/**
 * Lists the variables visible to the job: the top-level ones it inherits
 * (following `inherit:variables`) and its own, which win.
 */
export function jobVariables(
  job: ResolvedJob,
  pipeline: ResolvedPipeline,
): JobVariable[] {
  const result = new Map<string, JobVariable>();
  const inherit = isRecord(job.definition.inherit)
    ? job.definition.inherit.variables
    : undefined;
  const inherits = (name: string) =>
    inherit === undefined ||
    inherit === true ||
    (Array.isArray(inherit) && inherit.includes(name));

  for (const [name, raw] of Object.entries(pipeline.variables ?? {})) {
    if (!inherits(name)) {
      continue;
    }
    result.set(name, {
      name,
      value: variableText(raw),
      scope: 'global',
      location: locateGlobalVariable(pipeline, name),
    });
  }
  const own = job.definition.variables;
  if (isRecord(own)) {
    for (const [name, raw] of Object.entries(own)) {
      result.set(name, {
        name,
        value: variableText(raw),
        scope: 'job',
        location: job.locate(['variables', name]),
      });
    }
  }
  return [...result.values()];
}

/**
 * Lists the variables that matter for a value check: all job variables,
 * and the top-level ones that the job's scripts or own variables refer to
 * as `$NAME` or `${NAME}`. A top-level variable that a job never reads
 * would otherwise be reported for every job of the file.
 */
export function referencedVariables(job: ResolvedJob, pipeline: ResolvedPipeline): JobVariable[] {
  const variables = jobVariables(job, pipeline);
  const texts = [
    ...scriptItems(job).map(item => item.text),
    ...variables.filter(variable => variable.scope === 'job').map(variable => variable.value),
  ].join('\n');
  return variables.filter(
    variable =>
      variable.scope === 'job' ||
      new RegExp(`\\$(\\{)?${escapeRegExp(variable.name)}(?![A-Za-z0-9_])`).test(texts),
  );
}

function variableText(raw: unknown): string {
  if (isRecord(raw) && 'value' in raw) {
    return raw.value === null || raw.value === undefined ? '' : String(raw.value);
  }
  return raw === null || raw === undefined ? '' : String(raw);
}

const globalVariableLines = new WeakMap<
  ResolvedPipeline,
  Map<string, SourceLocation>
>();

/**
 * Finds the line that sets a top-level variable by reading the files the
 * resolver kept. When several files set it, the root file wins, because
 * GitLab merges included files first and the including file last.
 */
export function locateGlobalVariable(
  pipeline: ResolvedPipeline,
  name: string,
): SourceLocation | undefined {
  let lines = globalVariableLines.get(pipeline);
  if (!lines) {
    lines = new Map();
    // Root first in `files`; walk backwards so earlier files overwrite.
    for (const file of [...pipeline.files].reverse()) {
      for (const [key, location] of topLevelVariableKeys(file.file, file.text)) {
        lines.set(key, location);
      }
    }
    globalVariableLines.set(pipeline, lines);
  }
  return lines.get(name);
}

function topLevelVariableKeys(
  file: string,
  text: string,
): Array<[string, SourceLocation]> {
  const lineCounter = new LineCounter();
  let document;
  try {
    document = parseDocument(text, { lineCounter, uniqueKeys: false });
  } catch {
    return [];
  }
  const variables = isMap(document.contents)
    ? document.contents.get('variables', true)
    : undefined;
  if (!isMap(variables)) {
    return [];
  }
  const result: Array<[string, SourceLocation]> = [];
  for (const pair of variables.items) {
    if (isScalar(pair.key) && pair.key.range) {
      const position = lineCounter.linePos(pair.key.range[0]);
      result.push([
        String(pair.key.value),
        { file, line: position.line, column: position.col },
      ]);
    }
  }
  return result;
}

const fileLines = new WeakMap<ResolvedPipeline, Map<string, string[]>>();

/**
 * Moves a location from the start of a script item to the line that holds
 * `snippet`, for items written as block scalars (`- |`) that span several
 * lines. Returns the item's location when the snippet is not found nearby.
 */
export function refineLocation(
  pipeline: ResolvedPipeline,
  location: SourceLocation,
  itemText: string,
  lineOffset: number,
  snippet: string,
  matchText?: string,
): SourceLocation {
  const itemLineCount = itemText.split('\n').length;
  const lines = linesOf(pipeline, location.file);
  if (!lines) {
    return location;
  }

  if (itemLineCount <= 1 && lineOffset === 0) {
    // A plain or quoted scalar folded over several lines has no newlines in
    // its value; look for the matched text in its continuation lines.
    return matchText ? findInContinuation(lines, location, matchText) : location;
  }
  const needle = snippet.trim().slice(0, 60);
  if (!needle) {
    return location;
  }

  // A block scalar's content starts on the line after its indicator, and
  // folding may merge lines. So search from the item's first line and allow
  // the match anywhere in the item's extent.
  const first = location.line - 1 + Math.max(0, lineOffset);
  const last = Math.min(lines.length - 1, location.line + itemLineCount + 1);
  for (let index = Math.min(first, last); index <= last; index++) {
    const column = lines[index].indexOf(needle);
    if (column >= 0) {
      return { file: location.file, line: index + 1, column: column + 1 };
    }
  }
  for (let index = location.line - 1; index < first && index < lines.length; index++) {
    const column = lines[index].indexOf(needle);
    if (column >= 0) {
      return { file: location.file, line: index + 1, column: column + 1 };
    }
  }
  return location;
}

/** Finds `text` on the item's first line or the more indented lines that continue it. */
function findInContinuation(lines: string[], location: SourceLocation, text: string): SourceLocation {
  const start = location.line - 1;
  if (start < 0 || start >= lines.length || lines[start].includes(text)) {
    return location;
  }
  const indent = (line: string) => line.length - line.trimStart().length;
  const itemIndent = indent(lines[start]);
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') {
      continue;
    }
    if (indent(line) <= itemIndent) {
      break;
    }
    const column = line.indexOf(text);
    if (column >= 0) {
      return { file: location.file, line: index + 1, column: column + 1 };
    }
  }
  return location;
}

function linesOf(pipeline: ResolvedPipeline, file: string): string[] | undefined {
  let byFile = fileLines.get(pipeline);
  if (!byFile) {
    byFile = new Map();
    fileLines.set(pipeline, byFile);
  }
  let lines = byFile.get(file);
  if (!lines) {
    const text = pipeline.files.find(candidate => candidate.file === file)?.text;
    if (text === undefined) {
      return undefined;
    }
    lines = text.split('\n');
    byFile.set(file, lines);
  }
  return lines;
}

/** Returns the location of a command: its script item's line, refined into block scalars. */
export function locateCommand(
  job: ResolvedJob,
  pipeline: ResolvedPipeline,
  located: LocatedCommand,
  snippet?: string,
): SourceLocation {
  const base = locateOrJob(job, located.item.path);
  return refineLocation(
    pipeline,
    base,
    located.item.text,
    located.command.lineOffset,
    snippet ?? located.command.line,
  );
}

/**
 * Finds every match of `pattern` in the job's script lines and returns the
 * matched text with its location.
 */
export function matchScriptText(
  job: ResolvedJob,
  pipeline: ResolvedPipeline,
  pattern: RegExp,
): Array<{ match: RegExpExecArray; item: ScriptItem; location: SourceLocation }> {
  const result = [];
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  for (const item of scriptItems(job)) {
    global.lastIndex = 0;
    for (let match = global.exec(item.text); match !== null; match = global.exec(item.text)) {
      if (match[0] === '') {
        global.lastIndex++;
        continue;
      }
      const before = item.text.slice(0, match.index);
      const lineOffset = before.split('\n').length - 1;
      const lineText = item.text.split('\n')[lineOffset];
      const location = refineLocation(
        pipeline,
        locateOrJob(job, item.path),
        item.text,
        lineOffset,
        lineText,
        match[0],
      );
      result.push({ match, item, location });
    }
  }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a value that GitLab accepts as a string or a list of strings. */
export function toStringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.map(entry => (entry === null ? '' : String(entry)));
  }
  return undefined;
}

/** Splits an image reference into repository path and tag, without the registry's port confusion. */
export function imageParts(name: string): { repository: string; tag?: string } {
  const withoutDigest = name.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    return {
      repository: withoutDigest.slice(0, lastColon),
      tag: withoutDigest.slice(lastColon + 1),
    };
  }
  return { repository: withoutDigest };
}
