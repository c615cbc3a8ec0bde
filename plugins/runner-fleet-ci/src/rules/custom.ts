import { z } from 'zod';
import type { ResolvedJob, SourceLocation } from '../model';
import {
  ConfigurationError,
  parseConfigurationYaml,
  regexSourceSchema,
  validateConfiguration,
} from '../config';
import type { Rule, RuleContext, RuleHit } from './types';
import {
  jobImage,
  jobServices,
  jobTags,
  jobVariables,
  locateOrJob,
  matchScriptText,
} from './job';

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const matchersSchema = z
  .strictObject({
    script: regexSourceSchema.optional(),
    image: regexSourceSchema.optional(),
    services: regexSourceSchema.optional(),
    variables: z
      .strictObject({
        name: regexSourceSchema.optional(),
        value: regexSourceSchema.optional(),
      })
      .refine(value => value.name !== undefined || value.value !== undefined, {
        error: 'set `name`, `value` or both',
      })
      .optional(),
    tags: regexSourceSchema.optional(),
  })
  .refine(value => Object.keys(value).length > 0, {
    error: 'set at least one of script, image, services, variables or tags',
  });

const customRuleSchema = z.strictObject({
  id: z.string().regex(RULE_ID, {
    error: 'a rule id is kebab-case, for example `no-latest-images`',
  }),
  severity: z.enum(['blocker', 'warning', 'info']),
  title: z.string().min(1),
  rationale: z.string().min(1),
  fix: z.string().min(1),
  detection: z.string().optional(),
  /** Message per finding; `{job}` and `{match}` are replaced. */
  message: z.string().optional(),
  match: matchersSchema,
  unless: matchersSchema.optional(),
});

/** The schema of a rules file: `rules:` followed by a list of rules. */
export const customRulesFileSchema = z.strictObject({
  rules: z.array(customRuleSchema),
});

export type CustomRuleDefinition = z.output<typeof customRuleSchema>;
type Matchers = z.output<typeof matchersSchema>;

interface Hit {
  text: string;
  location: SourceLocation;
}

/** Order in which matcher kinds provide the evidence of a finding. */
const EVIDENCE_ORDER = ['script', 'image', 'services', 'variables', 'tags'] as const;

function compile(source: string | undefined): RegExp | undefined {
  return source === undefined ? undefined : new RegExp(source);
}

function findHits(
  kind: (typeof EVIDENCE_ORDER)[number],
  matchers: Matchers,
  job: ResolvedJob,
  context: RuleContext,
): Hit[] | undefined {
  if (kind === 'variables') {
    if (!matchers.variables) {
      return undefined;
    }
    const name = compile(matchers.variables.name);
    const value = compile(matchers.variables.value);
    return jobVariables(job, context.pipeline)
      .filter(variable => (!name || name.test(variable.name)) && (!value || value.test(variable.value)))
      .map(variable => ({
        // Only the name: variable values may hold secrets, and messages end up in reports.
        text: variable.name,
        location: variable.location ?? job.location,
      }));
  }
  const pattern = compile(matchers[kind]);
  if (!pattern) {
    return undefined;
  }
  switch (kind) {
    case 'script':
      return matchScriptText(job, context.pipeline, pattern).map(({ match, location }) => ({
        text: match[0],
        location,
      }));
    case 'image': {
      const image = jobImage(job);
      return image && pattern.test(image.name)
        ? [{ text: image.name, location: locateOrJob(job, image.path) }]
        : [];
    }
    case 'services':
      return jobServices(job)
        .filter(service => pattern.test(service.name))
        .map(service => ({ text: service.name, location: locateOrJob(job, service.path) }));
    case 'tags':
      return jobTags(job)
        .filter(({ tag }) => pattern.test(tag))
        .map(({ tag, path }) => ({ text: tag, location: locateOrJob(job, path) }));
    default:
      return undefined;
  }
}

/**
 * Builds a Rule from a declarative definition. Every matcher in `match`
 * must find something in the job (they combine with AND), and no matcher
 * in `unless` may. The evidence comes from the first matcher present in
 * the order script, image, services, variables, tags, with one finding per
 * match.
 */
export function createDeclarativeRule(definition: CustomRuleDefinition): Rule {
  const matchedKinds = EVIDENCE_ORDER.filter(kind => definition.match[kind] !== undefined);
  return {
    id: definition.id,
    severity: definition.severity,
    title: definition.title,
    rationale: definition.rationale,
    fix: definition.fix,
    detection:
      definition.detection ??
      `Matches ${matchedKinds.join(', ')} by regular expression${
        definition.unless ? ', unless the `unless` matchers match' : ''
      }.`,
    check(job: ResolvedJob, context: RuleContext): RuleHit[] {
      const hitsByKind = matchedKinds.map(kind => findHits(kind, definition.match, job, context) ?? []);
      if (hitsByKind.some(hits => hits.length === 0)) {
        return [];
      }
      if (definition.unless) {
        const excluded = EVIDENCE_ORDER.some(
          kind => (findHits(kind, definition.unless!, job, context) ?? []).length > 0,
        );
        if (excluded) {
          return [];
        }
      }
      return hitsByKind[0].map(hit => ({
        message: (definition.message ?? `Job "{job}" matches ${definition.id}: \`{match}\`.`)
          .replaceAll('{job}', job.name)
          .replaceAll('{match}', hit.text),
        location: hit.location,
      }));
    },
  };
}

/**
 * Parses a YAML rules file into Rule objects.
 *
 * @param reservedIds ids that custom rules must not reuse (the built-in ones).
 * @throws ConfigurationError naming each invalid field.
 */
export function parseCustomRules(
  text: string,
  source = 'rules file',
  reservedIds: ReadonlySet<string> = new Set(),
): Rule[] {
  const data = parseConfigurationYaml(text, source);
  const parsed = validateConfiguration(customRulesFileSchema, data, source, text);
  const seen = new Set<string>();
  const issues = [];
  for (const [index, rule] of parsed.rules.entries()) {
    if (reservedIds.has(rule.id)) {
      issues.push({
        field: `rules[${index}].id`,
        message: `"${rule.id}" is a built-in rule id; choose another id, for example "org-${rule.id}"`,
      });
    } else if (seen.has(rule.id)) {
      issues.push({
        field: `rules[${index}].id`,
        message: `"${rule.id}" is defined twice; rule ids must be unique`,
      });
    }
    seen.add(rule.id);
  }
  if (issues.length > 0) {
    throw new ConfigurationError(source, issues);
  }
  return parsed.rules.map(createDeclarativeRule);
}
