import { createHash } from 'node:crypto';
import type { Executor } from '@runner-fleet/plugin-runner-fleet-common';
import type { ObservedRunner } from './liveFacts';

/** Maximum length of an entity name in the catalog. */
const MAX_ENTITY_NAME_LENGTH = 63;

/**
 * An explicit rule that assigns runners to a fleet. A runner matches the rule
 * when any one of its criteria matches. Rules come from the provider config
 * (`mapping.rules`) and from `spec.discovery` of declared fleets.
 */
export interface FleetRule {
  /** Entity reference of the fleet, for example `resource:default/fleet-docker-machine`. */
  fleetRef: string;
  descriptionPattern?: RegExp;
  /** The runner must carry all of these tags. */
  tags?: string[];
  /** Any manager of the runner has one of these system ids. */
  systemIds?: string[];
  executor?: Executor;
  /** Origin of the rule, for logs: `config` or the declared fleet's reference. */
  source: string;
}

/** A fleet declared in the catalog, reduced to what grouping reads. */
export interface DeclaredFleet {
  /** Entity reference, for example `resource:default/fleet-k8s-default`. */
  ref: string;
  /** `spec.tags` of the fleet. */
  tags: string[];
}

/** Reason a runner was assigned to its fleet, strongest first. */
export type MatchReason =
  | 'system-id'
  | 'description-pattern'
  | 'rule-tags'
  | 'naming-pattern'
  | 'fleet-tags'
  | 'tag-set';

/** Runners assigned to one fleet in one sync. */
export interface FleetGroup {
  /** Entity reference of the fleet: a declared fleet, or the name a discovered fleet gets. */
  fleetRef: string;
  /** True when `fleetRef` is a fleet declared in the catalog. */
  declared: boolean;
  runners: ObservedRunner[];
  /** Cluster names captured by the naming pattern's `cluster` group. */
  clusters: string[];
  /** Executor from a config rule, when one set it. */
  executor?: Executor;
  /** The strongest reason that assigned a runner to this group. */
  matchedBy: MatchReason;
}

export type UnmatchedPolicy = 'group-by-tags' | 'group-all-by-tags' | 'ignore';

export interface GroupingOptions {
  rules: FleetRule[];
  declaredFleets: DeclaredFleet[];
  /**
   * Pattern that derives a fleet from a runner description, with a named
   * group `fleet` and an optional named group `cluster`. Undefined disables it.
   */
  namingPattern?: RegExp;
  /**
   * Policy for runners that match nothing: `group-by-tags` groups
   * instance runners by tag set and ignores group and project runners,
   * `group-all-by-tags` groups every type, `ignore` groups none.
   */
  unmatched: UnmatchedPolicy;
  /** Namespace of fleets derived from descriptions and tag sets. */
  namespace: string;
}

export interface GroupingResult {
  groups: FleetGroup[];
  /** Runners that matched nothing and that `unmatched` left out. */
  ignored: ObservedRunner[];
}

const REASON_STRENGTH: Record<MatchReason, number> = {
  'system-id': 6,
  'description-pattern': 5,
  'rule-tags': 4,
  'naming-pattern': 3,
  'fleet-tags': 2,
  'tag-set': 1,
};

/**
 * Turns free text into an entity name: lower case, runs of other characters
 * replaced by `-`, at most `maxLength` characters. A name that had to be
 * shortened ends with 8 hex digits of a SHA-256 of the text, so two long
 * texts do not collapse into one name.
 */
export function toEntityName(
  text: string,
  maxLength = MAX_ENTITY_NAME_LENGTH,
): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) {
    return slug || 'unnamed';
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const head = slug.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** Derives a fleet name such as `fleet-qa-k8s-default` from a description prefix such as `qa k8s-default`. */
export function fleetNameFromKey(key: string): string {
  const name = toEntityName(key);
  return name.startsWith('fleet-') ? name : toEntityName(`fleet-${name}`);
}

function matchesSystemId(runner: ObservedRunner, rule: FleetRule): boolean {
  if (!rule.systemIds || rule.systemIds.length === 0) {
    return false;
  }
  return runner.managers.some(m => rule.systemIds!.includes(m.systemId));
}

function carriesAll(runner: ObservedRunner, tags: string[]): boolean {
  return tags.every(tag => runner.tags.includes(tag));
}

/** Picks the rule with the most required tags that the runner carries. */
function bestTagRule(
  runner: ObservedRunner,
  rules: FleetRule[],
): FleetRule | undefined {
  let best: FleetRule | undefined;
  for (const rule of rules) {
    if (
      !rule.tags ||
      rule.tags.length === 0 ||
      !carriesAll(runner, rule.tags)
    ) {
      continue;
    }
    if (!best || rule.tags.length > best.tags!.length) {
      best = rule;
    }
  }
  return best;
}

/**
 * Picks the declared fleet whose `spec.tags` share the most tags with the
 * runner. Ties go to the fleet with fewer tags (the closer fit), then to the
 * lower reference, so the result does not depend on catalog order.
 */
function bestDeclaredByTags(
  runner: ObservedRunner,
  fleets: DeclaredFleet[],
): DeclaredFleet | undefined {
  let best: { fleet: DeclaredFleet; overlap: number } | undefined;
  for (const fleet of fleets) {
    const overlap = fleet.tags.filter(tag => runner.tags.includes(tag)).length;
    if (overlap === 0) {
      continue;
    }
    const better =
      !best ||
      overlap > best.overlap ||
      (overlap === best.overlap &&
        (fleet.tags.length < best.fleet.tags.length ||
          (fleet.tags.length === best.fleet.tags.length &&
            fleet.ref < best.fleet.ref)));
    if (better) {
      best = { fleet, overlap };
    }
  }
  return best?.fleet;
}

interface Assignment {
  fleetRef: string;
  reason: MatchReason;
  cluster?: string;
  executor?: Executor;
}

function assign(
  runner: ObservedRunner,
  options: GroupingOptions,
): Assignment | undefined {
  const rules = options.rules;

  const bySystemId = rules.find(rule => matchesSystemId(runner, rule));
  if (bySystemId) {
    return {
      fleetRef: bySystemId.fleetRef,
      reason: 'system-id',
      executor: bySystemId.executor,
    };
  }

  const byPattern = rules.find(rule =>
    rule.descriptionPattern?.test(runner.description),
  );
  if (byPattern) {
    return {
      fleetRef: byPattern.fleetRef,
      reason: 'description-pattern',
      executor: byPattern.executor,
    };
  }

  const byRuleTags = bestTagRule(runner, rules);
  if (byRuleTags) {
    return {
      fleetRef: byRuleTags.fleetRef,
      reason: 'rule-tags',
      executor: byRuleTags.executor,
    };
  }

  const named = options.namingPattern?.exec(runner.description);
  const key = named?.groups?.fleet?.trim();
  if (key) {
    const fleetRef = `resource:${options.namespace}/${fleetNameFromKey(key)}`;
    const cluster = named?.groups?.cluster?.trim();
    return { fleetRef, reason: 'naming-pattern', cluster };
  }

  const byFleetTags = bestDeclaredByTags(runner, options.declaredFleets);
  if (byFleetTags) {
    return { fleetRef: byFleetTags.ref, reason: 'fleet-tags' };
  }

  if (
    options.unmatched === 'ignore' ||
    (options.unmatched === 'group-by-tags' &&
      runner.runnerType !== 'instance_type')
  ) {
    return undefined;
  }
  const tagSet = [...runner.tags].sort();
  const name =
    tagSet.length > 0
      ? toEntityName(`fleet-tags-${tagSet.join('-')}`)
      : 'fleet-untagged';
  return {
    fleetRef: `resource:${options.namespace}/${name}`,
    reason: 'tag-set',
  };
}

/**
 * Assigns each runner to one fleet. The first of these that matches wins:
 * 1. a rule's `systemIds` (any manager of the runner),
 * 2. a rule's `descriptionPattern`,
 * 3. a rule's `tags` (the runner carries all; the rule with most tags wins),
 * 4. the naming pattern: `fleet-<slug of the fleet group>`,
 * 5. the `spec.tags` of a declared fleet (most shared tags wins),
 * 6. the runner's own tag set, as far as `unmatched` allows.
 * Rules are tried in the order given, so callers put declared fleets'
 * hints before config rules.
 */
export function groupRunners(
  runners: ObservedRunner[],
  options: GroupingOptions,
): GroupingResult {
  const declaredRefs = new Set(options.declaredFleets.map(f => f.ref));
  const groups = new Map<string, FleetGroup>();
  const ignored: ObservedRunner[] = [];

  for (const runner of runners) {
    const assignment = assign(runner, options);
    if (!assignment) {
      ignored.push(runner);
      continue;
    }
    let group = groups.get(assignment.fleetRef);
    if (!group) {
      group = {
        fleetRef: assignment.fleetRef,
        declared: declaredRefs.has(assignment.fleetRef),
        runners: [],
        clusters: [],
        matchedBy: assignment.reason,
      };
      groups.set(assignment.fleetRef, group);
    }
    group.runners.push(runner);
    if (assignment.cluster && !group.clusters.includes(assignment.cluster)) {
      group.clusters.push(assignment.cluster);
    }
    group.executor ??= assignment.executor;
    if (REASON_STRENGTH[assignment.reason] > REASON_STRENGTH[group.matchedBy]) {
      group.matchedBy = assignment.reason;
    }
  }

  for (const group of groups.values()) {
    group.clusters.sort();
  }
  return {
    groups: [...groups.values()].sort((a, b) =>
      a.fleetRef.localeCompare(b.fleetRef),
    ),
    ignored,
  };
}
