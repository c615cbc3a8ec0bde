import { parse, stringify, YAMLSeq } from 'yaml';
import type { CollectionTag, Schema } from 'yaml';

/** A `!reference [job, key]` value, kept as written. */
export class ReferenceValue {
  constructor(readonly path: unknown[]) {}
}

const referenceTag: CollectionTag = {
  tag: '!reference',
  collection: 'seq',
  identify: value => value instanceof ReferenceValue,
  resolve: seq => new ReferenceValue((seq as YAMLSeq).toJSON() as unknown[]),
  createNode: (schema: Schema, value: unknown, ctx) => {
    const seq = YAMLSeq.from(schema, (value as ReferenceValue).path, ctx);
    seq.tag = '!reference';
    seq.flow = true;
    return seq;
  },
};

/**
 * Parses GitLab CI YAML: `<<` merge keys are applied, duplicate keys keep the
 * last value (as GitLab's Ruby parser does) and `!reference` tags are kept.
 * Throws the parser's error on invalid YAML.
 */
export function parseCiYaml(text: string): unknown {
  return parse(text, {
    merge: true,
    uniqueKeys: false,
    customTags: [referenceTag],
    maxAliasCount: 1000,
    logLevel: 'silent',
  });
}

export function stringifyCiYaml(value: unknown): string {
  return stringify(value, {
    customTags: [referenceTag],
    aliasDuplicateObjects: false,
    lineWidth: 0,
  });
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof ReferenceValue)
  );
}
