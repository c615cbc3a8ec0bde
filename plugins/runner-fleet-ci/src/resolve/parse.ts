import {
  Alias,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  YAMLSeq,
  type Node as YamlNode,
  type ScalarTag,
  type CollectionTag,
} from 'yaml';
import type { ConfigError, SourceLocation } from '../model';
import {
  expandedSize,
  mapNode,
  type LocatedNode,
  type MapEntry,
  type MapNode,
  type Scalar,
} from './nodes';

/** Options of parseCiFile; see ResolveOptions for the defaults. */
export interface ParseOptions {
  maxAliasCount: number;
  maxExpandedNodes: number;
}

export interface ParsedFile {
  /** The `spec:` header document, when the file has one. */
  header?: MapNode;
  /** The configuration document; an empty map when the file is empty or unreadable. */
  content: MapNode;
  errors: ConfigError[];
}

/**
 * GitLab parses with Psych, whose default nesting limit for CI files is 100
 * (`max_yaml_depth`). Deeper documents are rejected, which also keeps the
 * recursive conversion below far from the JavaScript stack limit.
 */
const MAX_DEPTH = 100;

/** Declares `!reference` so the yaml package keeps it as a tagged sequence without a warning. */
const referenceTag: CollectionTag = {
  tag: '!reference',
  collection: 'seq',
  default: false,
  nodeClass: YAMLSeq,
  resolve: value => value,
};

/**
 * Tags that Psych's safe loader accepts and that some files use, such as
 * `!!str`, are part of the yaml 1.1 schema. Any other custom tag keeps its
 * value and produces a warning from the yaml package, which is ignored, as
 * GitLab ignores unknown tags on plain values.
 */
const customTags: Array<ScalarTag | CollectionTag> = [referenceTag];

class DepthError extends Error {}

/**
 * Parses a CI file into located trees. Follows Psych (YAML 1.1), which GitLab
 * uses: `yes`/`no`/`on`/`off` are booleans; duplicate keys are allowed and the
 * last one wins; `<<` merge keys apply in order, so a later `<<` overrides
 * keys set before it, and within `<<: [*a, *b]` the earlier map wins.
 * Duplicate keys are reported as `duplicate-key` warnings because a silently
 * replaced job is a common mistake.
 */
export function parseCiFile(
  text: string,
  file: string,
  options: ParseOptions,
): ParsedFile {
  const lineCounter = new LineCounter();
  const errors: ConfigError[] = [];
  const locate = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) {
      return { file, line: 1, column: 1 };
    }
    const position = lineCounter.linePos(offset);
    return { file, line: Math.max(position.line, 1), column: position.col };
  };

  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, {
      lineCounter,
      version: '1.1',
      merge: false,
      uniqueKeys: false,
      customTags,
      strict: false,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (error) {
    // The yaml package may overflow the stack on extremely deep nesting.
    errors.push({
      code: 'yaml-syntax',
      message: `${file} could not be parsed as YAML (${String(
        (error as Error).message,
      )}); check the nesting depth and syntax.`,
      location: { file, line: 1 },
    });
    return { content: mapNode({ file, line: 1 }), errors };
  }
  if (!Array.isArray(documents)) {
    // parseAllDocuments returns an EmptyStream for text without documents.
    documents = [];
  }

  for (const document of documents) {
    for (const error of document.errors) {
      const location = locate(error.pos[0]);
      errors.push({
        code: 'yaml-syntax',
        message: `Invalid YAML in ${file} at line ${location.line}, column ${
          location.column
        }: ${firstLine(error.message)}. Fix the syntax at that position.`,
        location,
      });
    }
  }
  if (errors.length > 0) {
    return { content: mapNode({ file, line: 1 }), errors };
  }

  const converted: MapNode[] = [];
  for (const document of documents) {
    const node = convertDocument(document, file, locate, options, errors);
    if (node) {
      converted.push(node);
    }
  }

  if (converted.length === 0) {
    return { content: mapNode({ file, line: 1 }), errors };
  }
  if (converted.length >= 2 && converted[0].entries.has('spec')) {
    if (converted.length > 2) {
      errors.push(extraDocumentsError(file, converted[2].location));
    }
    return { header: converted[0], content: converted[1], errors };
  }
  if (converted.length > 1) {
    errors.push(extraDocumentsError(file, converted[1].location));
  }
  return { content: converted[0], errors };
}

function extraDocumentsError(
  file: string,
  location: SourceLocation,
): ConfigError {
  return {
    code: 'invalid-config',
    message: `${file} has more than one YAML document; GitLab reads only a \`spec:\` header followed by one configuration document. Remove the document at line ${location.line} or merge it into the first.`,
    location,
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\.$/, '');
}

function convertDocument(
  document: Document.Parsed,
  file: string,
  locate: (offset: number | undefined) => SourceLocation,
  options: ParseOptions,
  errors: ConfigError[],
): MapNode | undefined {
  const root = document.contents;
  if (root === null || root === undefined) {
    return mapNode(locate(0));
  }

  const anchors = new Map<string, LocatedNode>();
  let converted: LocatedNode;
  try {
    converted = convertNode(root, 0);
  } catch (error) {
    if (error instanceof DepthError) {
      errors.push({
        code: 'invalid-config',
        message: `${file} nests values more than ${MAX_DEPTH} levels deep, which GitLab rejects; flatten the structure.`,
        location: locate(root.range?.[0]),
      });
      return undefined;
    }
    throw error;
  }

  if (
    expandedSize(converted, options.maxExpandedNodes) > options.maxExpandedNodes
  ) {
    const firstAlias = findFirstAlias(root);
    errors.push(
      aliasLimitError(
        file,
        locate(firstAlias?.range?.[0] ?? root.range?.[0]),
        options,
      ),
    );
    return undefined;
  }

  // The yaml package's own guard, which weighs each alias use by the
  // aliases inside its target. It runs after the expanded-size check above
  // because it does not bound a wide anchor that is reused many times. A
  // document without aliases cannot trip it, so it is skipped there.
  const hasAliases = findFirstAlias(root) !== undefined;
  try {
    if (hasAliases) {
      document.toJS({ maxAliasCount: options.maxAliasCount, mapAsMap: true });
    }
  } catch (error) {
    const firstAlias = findFirstAlias(root);
    errors.push(aliasLimitError(file, locate(firstAlias?.range?.[0]), options));
    return undefined;
  }

  if (converted.kind !== 'map') {
    errors.push({
      code: 'invalid-config',
      message: `${file} must contain a mapping of job names and keywords at the top level, but contains a ${describeKind(
        converted,
      )}.`,
      location: converted.location,
    });
    return undefined;
  }
  return converted;

  function convertNode(node: unknown, depth: number): LocatedNode {
    if (depth > MAX_DEPTH) {
      throw new DepthError();
    }
    const yamlNode = node as YamlNode;
    const location = locate(yamlNode?.range?.[0]);
    let result: LocatedNode;

    if (isAlias(node)) {
      const target = anchors.get((node as Alias).source);
      if (!target) {
        errors.push({
          code: 'yaml-syntax',
          message: `Unknown alias *${
            (node as Alias).source
          } in ${file} at line ${location.line}; define the anchor &${
            (node as Alias).source
          } before using it.`,
          location,
        });
        return { kind: 'scalar', location, value: null };
      }
      return target;
    }

    if (isScalar(node)) {
      result = { kind: 'scalar', location, value: toScalar(node.value) };
    } else if (isSeq(node)) {
      if (node.tag === '!reference') {
        result = {
          kind: 'reference',
          location,
          path: node.items.map(item =>
            isScalar(item)
              ? (toScalar(item.value) as string | number)
              : String(item),
          ),
        };
      } else {
        result = {
          kind: 'seq',
          location,
          items: node.items.map(item => convertNode(item, depth + 1)),
        };
      }
    } else if (isMap(node)) {
      result = convertMap(node.items, location, depth);
    } else {
      result = { kind: 'scalar', location, value: null };
    }

    if (yamlNode?.anchor) {
      anchors.set(yamlNode.anchor, result);
    }
    return result;
  }

  function convertMap(
    items: unknown[],
    location: SourceLocation,
    depth: number,
  ): MapNode {
    const entries = new Map<string, MapEntry>();
    const explicitKeys = new Set<string>();
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyLocation = locate(
        keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0],
      );
      // The yaml 1.1 schema turns a plain `<<` key into a symbol even when
      // its own merging is off; a quoted '<<' stays a string key.
      const isMergeKey =
        isScalar(keyNode) &&
        keyNode.type === 'PLAIN' &&
        (keyNode.source === '<<' ||
          keyNode.value === '<<' ||
          typeof keyNode.value === 'symbol');

      if (isMergeKey) {
        const value =
          pair.value === null ? null : convertNode(pair.value, depth + 1);
        if (value && value.kind === 'map') {
          mergeInto(entries, value);
          continue;
        }
        if (
          value &&
          value.kind === 'seq' &&
          value.items.every(item => item.kind === 'map')
        ) {
          // Psych merges a sequence in reverse so the first map wins.
          for (const item of [...value.items].reverse()) {
            mergeInto(entries, item as MapNode);
          }
          continue;
        }
      }

      let key: string;
      if (isScalar(keyNode)) {
        key = typeof keyNode.value === 'symbol' ? '<<' : String(keyNode.value);
      } else if (keyNode === null) {
        key = '';
      } else {
        errors.push({
          code: 'invalid-config',
          message: `${file} uses a collection as a mapping key at line ${keyLocation.line}; GitLab keys must be plain strings.`,
          location: keyLocation,
        });
        continue;
      }

      const value =
        pair.value === null || pair.value === undefined
          ? { kind: 'scalar' as const, location: keyLocation, value: null }
          : convertNode(pair.value, depth + 1);
      const previous = entries.get(key);
      if (previous && explicitKeys.has(key)) {
        errors.push({
          code: 'duplicate-key',
          severity: 'warning',
          message: `Duplicate key "${key}" in ${file} at line ${keyLocation.line} replaces the one at line ${previous.keyLocation.line}; GitLab keeps only the last one. Remove or rename one of them.`,
          location: keyLocation,
        });
      }
      entries.set(key, { key, keyLocation, value });
      explicitKeys.add(key);
    }
    return mapNode(location, entries);
  }
}

function mergeInto(entries: Map<string, MapEntry>, source: MapNode): void {
  for (const [key, entry] of source.entries) {
    entries.set(key, entry);
  }
}

function toScalar(value: unknown): Scalar {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (value === undefined) {
    return null;
  }
  return String(value);
}

function findFirstAlias(root: unknown): Alias | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) return node;
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--)
        stack.push(node.items[i]);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    }
  }
  return undefined;
}

function aliasLimitError(
  file: string,
  location: SourceLocation,
  options: ParseOptions,
): ConfigError {
  return {
    code: 'alias-limit',
    message: `${file} expands its YAML aliases beyond the limit (maxAliasCount ${options.maxAliasCount}, maxExpandedNodes ${options.maxExpandedNodes}); this looks like an alias bomb. Replace nested aliases with extends or !reference, or raise the limits if the file is legitimate.`,
    location,
  };
}

function describeKind(node: LocatedNode): string {
  if (node.kind === 'seq') return 'list';
  if (node.kind === 'scalar')
    return `scalar value (${JSON.stringify(node.value)})`;
  return node.kind;
}
