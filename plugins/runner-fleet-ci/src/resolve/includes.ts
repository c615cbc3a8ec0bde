import { posix } from 'node:path';
import type { ConfigError, ResolvedFile, SourceLocation } from '../model';
import { applyInputs, type ProvidedInput } from './inputs';
import {
  deepMerge,
  getEntry,
  mapNode,
  toPlain,
  withoutKeys,
  type LocatedNode,
  type MapNode,
} from './nodes';
import { parseCiFile, type ParseOptions } from './parse';
import { evaluateRuleIf } from './ruleExpression';
import { IncludeReadError, type IncludeReader } from './types';

/** Source of a file's `local` includes: the project being resolved or another project. */
type Origin =
  | { kind: 'local' }
  | { kind: 'project'; project: string; ref?: string };

/** One file to include, after the include entry was normalised. */
interface IncludeTarget {
  /** File id as stored in ResolvedFile.file and SourceLocation.file. */
  id: string;
  read: () => Promise<string | undefined>;
  /** Source of this file's nested `local` includes. */
  origin: Origin;
  inputs: Map<string, ProvidedInput>;
  /** How to name the file in a message. */
  description: string;
}

export interface IncludeSettings extends ParseOptions {
  reader: IncludeReader;
  allowedRemoteHosts: string[];
  maxIncludes: number;
  maxFileBytes: number;
  /** Variables that include paths may use, such as CI_PROJECT_PATH. */
  variables: Map<string, string>;
}

/**
 * Reads a configuration file and everything it includes, and merges them as
 * GitLab does: included files are deep-merged in order, later ones winning,
 * and the including file is merged last so its own keys win.
 *
 * Limits: a file included again within its own include chain is an
 * `include-cycle` error; a file included again elsewhere is merged only once
 * (GitLab removes duplicate includes); more than `maxIncludes` files is an
 * `include-limit` error and later includes are skipped.
 *
 * `include:rules` handling is minimal: the first matching rule decides, and
 * `when: never` excludes the file. `if` is evaluated with the variables
 * known offline (GITLAB_CI and CI are "true", plus top-level variables and
 * caller-supplied ones); an `if` that depends on other variables, and any
 * `changes`, are assumed to match. `exists` with plain paths is checked
 * through the reader; wildcards in `exists` are assumed to match.
 */
export class IncludeResolver {
  readonly files: ResolvedFile[] = [];
  readonly errors: ConfigError[] = [];
  private includeCount = 0;
  private limitReported = false;
  private readonly included = new Set<string>();

  constructor(private readonly settings: IncludeSettings) {}

  /** Resolves the root file; returns the merged configuration. */
  async resolveRoot(file: string, text: string): Promise<MapNode> {
    return this.processFile(
      {
        id: file,
        read: async () => text,
        origin: { kind: 'local' },
        inputs: new Map(),
        description: file,
      },
      text,
      [],
      undefined,
    );
  }

  private async processFile(
    target: IncludeTarget,
    text: string,
    chain: string[],
    includedFrom: SourceLocation | undefined,
  ): Promise<MapNode> {
    const file = target.id;
    const empty = mapNode({ file, line: 1 });
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.settings.maxFileBytes) {
      this.errors.push({
        code: 'file-too-large',
        message: `${file} is ${bytes} bytes, more than the limit of ${this.settings.maxFileBytes} bytes (maxFileBytes); split it into smaller included files.`,
        location: includedFrom ?? { file, line: 1 },
      });
      return empty;
    }
    this.files.push(
      includedFrom ? { file, text, includedFrom } : { file, text },
    );

    const parsed = parseCiFile(text, file, this.settings);
    this.errors.push(...parsed.errors);
    const content = applyInputs(
      parsed.header,
      parsed.content,
      target.inputs,
      file,
      includedFrom,
      this.errors,
    );

    const includeNode = content.entries.get('include')?.value;
    if (!includeNode) {
      return content;
    }
    if (chain.length === 0) {
      this.addGlobalVariables(content);
    }

    let merged: LocatedNode = mapNode(content.location);
    const nextChain = [...chain, file];
    for (const item of includeItems(includeNode)) {
      const targets = await this.targetsOf(item, target.origin);
      for (const child of targets) {
        const childResult = await this.includeTarget(
          child,
          nextChain,
          item.location,
        );
        if (childResult) {
          merged = deepMerge(merged, childResult);
        }
      }
    }
    return deepMerge(merged, withoutKeys(content, ['include'])) as MapNode;
  }

  private async includeTarget(
    target: IncludeTarget,
    chain: string[],
    location: SourceLocation,
  ): Promise<MapNode | undefined> {
    if (chain.includes(target.id)) {
      this.errors.push({
        code: 'include-cycle',
        message: `${target.description} is included again from ${
          location.file
        } at line ${
          location.line
        }, but it is already part of this include chain (${[
          ...chain,
          target.id,
        ].join(' -> ')}); GitLab rejects include cycles. Remove the include.`,
        location,
      });
      return undefined;
    }
    const key = `${target.id}\u0000${JSON.stringify(
      [...target.inputs].map(([name, input]) => [name, input.value]),
    )}`;
    if (this.included.has(key)) {
      return undefined;
    }
    if (this.includeCount >= this.settings.maxIncludes) {
      if (!this.limitReported) {
        this.limitReported = true;
        this.errors.push({
          code: 'include-limit',
          message: `Including ${target.description} from ${location.file} at line ${location.line} exceeds the limit of ${this.settings.maxIncludes} included files (GitLab's default is 150); remove includes or merge small files. Later includes were skipped.`,
          location,
        });
      }
      return undefined;
    }
    this.includeCount += 1;
    this.included.add(key);

    let text: string | undefined;
    try {
      text = await target.read();
    } catch (error) {
      this.errors.push({
        code:
          error instanceof IncludeReadError ? error.code : 'include-missing',
        message:
          error instanceof IncludeReadError
            ? error.message
            : `Reading ${target.description}, included from ${
                location.file
              } at line ${location.line}, failed: ${
                (error as Error)?.message ?? String(error)
              }. Check that the file can be read.`,
        location,
      });
      return undefined;
    }
    if (text === undefined) {
      this.errors.push({
        code: 'include-missing',
        message: `${target.description}, included from ${location.file} at line ${location.line}, was not found; fix the path or add the file.`,
        location,
      });
      return undefined;
    }
    return this.processFile(target, text, chain, location);
  }

  private addGlobalVariables(root: MapNode): void {
    const variables = getEntry(root, 'variables');
    if (variables?.kind !== 'map') return;
    for (const entry of variables.entries.values()) {
      const value =
        entry.value.kind === 'map'
          ? getEntry(entry.value, 'value')
          : entry.value;
      if (
        value?.kind === 'scalar' &&
        value.value !== null &&
        !this.settings.variables.has(entry.key)
      ) {
        this.settings.variables.set(entry.key, String(value.value));
      }
    }
  }

  /** Turns one include entry into the files it names. */
  private async targetsOf(
    item: IncludeItem,
    origin: Origin,
  ): Promise<IncludeTarget[]> {
    const { node, location } = item;
    const reader = this.settings.reader;
    if (node.kind === 'scalar') {
      if (typeof node.value !== 'string' || node.value === '') {
        this.invalid(
          `Include entry ${JSON.stringify(
            node.value,
          )} is not a file path or URL; write a path such as \`ci/build.yml\`.`,
          location,
        );
        return [];
      }
      const value = node.value;
      return /^https?:\/\//i.test(value)
        ? this.remoteTargets(value, new Map(), location)
        : this.localTargets(value, origin, new Map(), location);
    }
    if (node.kind !== 'map') {
      this.invalid(
        `Include entries must be a path or a map with local, project, template, remote or component; found a ${node.kind} at line ${location.line}.`,
        location,
      );
      return [];
    }
    if (!(await this.rulesAllow(getEntry(node, 'rules'), origin))) {
      return [];
    }

    const inputs = this.readInputs(getEntry(node, 'inputs'));
    const local = stringOf(getEntry(node, 'local'));
    const project = stringOf(getEntry(node, 'project'));
    const template = stringOf(getEntry(node, 'template'));
    const remote = stringOf(getEntry(node, 'remote'));
    const component = stringOf(getEntry(node, 'component'));

    if (local !== undefined) {
      return this.localTargets(local, origin, inputs, location);
    }
    if (project !== undefined) {
      const projectPath = this.expand(project, location);
      const refValue = stringOf(getEntry(node, 'ref'));
      const ref =
        refValue === undefined ? undefined : this.expand(refValue, location);
      const fileNode = getEntry(node, 'file');
      const files =
        fileNode?.kind === 'seq'
          ? fileNode.items.map(stringOf)
          : [stringOf(fileNode)];
      if (
        projectPath === undefined ||
        files.length === 0 ||
        files.some(f => f === undefined)
      ) {
        this.invalid(
          `The project include at line ${location.line} needs \`project\` and \`file\` (a path or a list of paths).`,
          location,
        );
        return [];
      }
      const targets: IncludeTarget[] = [];
      for (const rawFile of files as string[]) {
        const path = this.expand(rawFile, location);
        if (path === undefined) continue;
        const cleanPath = path.replace(/^\/+/, '');
        targets.push({
          id: `project:${projectPath}:${cleanPath}${ref ? `@${ref}` : ''}`,
          read: () => reader.readProject(projectPath, cleanPath, ref),
          origin: { kind: 'project', project: projectPath, ref },
          inputs,
          description: `File ${cleanPath} of project ${projectPath}${
            ref ? ` at ref ${ref}` : ''
          }`,
        });
      }
      return targets;
    }
    if (template !== undefined) {
      return [
        {
          id: `template:${template}`,
          read: () => reader.readTemplate(template),
          origin: { kind: 'local' },
          inputs,
          description: `Template ${template}`,
        },
      ];
    }
    if (remote !== undefined) {
      return this.remoteTargets(remote, inputs, location);
    }
    if (component !== undefined) {
      const sameProject = await this.localComponent(component, inputs);
      if (sameProject) {
        return [sameProject];
      }
      const expanded = this.expand(component, location);
      if (expanded === undefined) return [];
      if (!reader.readComponent) {
        this.errors.push({
          code: 'include-missing',
          message: `Component ${expanded}, included at line ${location.line}, cannot be read because this include reader has no readComponent; resolve through the GitLab API or provide a reader that reads components.`,
          location,
        });
        return [];
      }
      const readComponent = reader.readComponent.bind(reader);
      return [
        {
          id: `component:${expanded}`,
          read: () => readComponent(expanded),
          origin: componentOrigin(expanded),
          inputs,
          description: `Component ${expanded}`,
        },
      ];
    }
    this.invalid(
      `The include entry at line ${location.line} has none of local, project, template, remote or component; add one of them.`,
      location,
    );
    return [];
  }

  /**
   * Returns the target for a component of the project being resolved,
   * written as `$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@<version>` (or with
   * CI_SERVER_HOST, or with the values of serverHost and projectPath). GitLab
   * reads it from the same commit at `templates/<name>.yml` or
   * `templates/<name>/template.yml`.
   */
  private async localComponent(
    component: string,
    inputs: Map<string, ProvidedInput>,
  ): Promise<IncludeTarget | undefined> {
    const variables = this.settings.variables;
    const host =
      variables.get('CI_SERVER_FQDN') ?? variables.get('CI_SERVER_HOST');
    const project = variables.get('CI_PROJECT_PATH');
    const written =
      /^\$\{?CI_SERVER_(?:FQDN|HOST)\}?\/\$\{?CI_PROJECT_PATH\}?\/([^@/]+)@/.exec(
        component,
      );
    let name = written?.[1];
    if (
      !name &&
      host &&
      project &&
      component.startsWith(`${host}/${project}/`)
    ) {
      name = /^([^@/]+)@/.exec(
        component.slice(host.length + project.length + 2),
      )?.[1];
    }
    if (!name) return undefined;
    const reader = this.settings.reader;
    for (const candidate of [
      `templates/${name}.yml`,
      `templates/${name}/template.yml`,
    ]) {
      let text: string | undefined;
      try {
        text = await reader.readLocal(candidate);
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        const found = text;
        return {
          id: candidate,
          read: async () => found,
          origin: { kind: 'local' },
          inputs,
          description: `Component ${name} of this project (${candidate})`,
        };
      }
    }
    return undefined;
  }

  private async localTargets(
    rawPath: string,
    origin: Origin,
    inputs: Map<string, ProvidedInput>,
    location: SourceLocation,
  ): Promise<IncludeTarget[]> {
    const reader = this.settings.reader;
    const expanded = this.expand(rawPath, location);
    if (expanded === undefined) return [];
    const path = normalizeLocalPath(expanded);
    if (origin.kind === 'project') {
      return [
        {
          id: `project:${origin.project}:${path}${
            origin.ref ? `@${origin.ref}` : ''
          }`,
          read: () => reader.readProject(origin.project, path, origin.ref),
          origin,
          inputs,
          description: `File ${path} of project ${origin.project}`,
        },
      ];
    }
    if (path.includes('*')) {
      if (!reader.globLocal) {
        this.errors.push({
          code: 'include-missing',
          message: `The wildcard include ${path} at line ${location.line} cannot be expanded because this include reader cannot list files; use a reader with globLocal or list the files.`,
          location,
        });
        return [];
      }
      let matches: string[];
      try {
        matches = await reader.globLocal(path);
      } catch (error) {
        this.errors.push({
          code:
            error instanceof IncludeReadError ? error.code : 'include-missing',
          message: `Expanding the wildcard include ${path} at line ${
            location.line
          } failed: ${(error as Error).message}`,
          location,
        });
        return [];
      }
      return matches.map(match => ({
        id: match,
        read: () => reader.readLocal(match),
        origin,
        inputs,
        description: `Local file ${match}`,
      }));
    }
    return [
      {
        id: path,
        read: () => reader.readLocal(path),
        origin,
        inputs,
        description: `Local file ${path}`,
      },
    ];
  }

  private remoteTargets(
    url: string,
    inputs: Map<string, ProvidedInput>,
    location: SourceLocation,
  ): IncludeTarget[] {
    let host: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new Error('not http');
      }
      host = parsed.hostname.toLowerCase();
    } catch {
      this.invalid(
        `The remote include ${JSON.stringify(url)} at line ${
          location.line
        } is not a valid http(s) URL; write a full URL such as https://example.org/ci.yml.`,
        location,
      );
      return [];
    }
    const allowed = this.settings.allowedRemoteHosts.map(h => h.toLowerCase());
    if (!allowed.includes(host)) {
      this.errors.push({
        code: 'include-not-allowed',
        message: `The remote include ${url} at line ${location.line} was not fetched because host ${host} is not allowed; add "${host}" to the allowedRemoteHosts option if it is trusted.`,
        location,
      });
      return [];
    }
    const reader = this.settings.reader;
    return [
      {
        id: `remote:${url}`,
        read: () => reader.readRemote(url),
        origin: { kind: 'local' },
        inputs,
        description: `Remote file ${url}`,
      },
    ];
  }

  private readInputs(
    node: LocatedNode | undefined,
  ): Map<string, ProvidedInput> {
    const inputs = new Map<string, ProvidedInput>();
    if (node?.kind === 'map') {
      for (const entry of node.entries.values()) {
        inputs.set(entry.key, {
          value: toPlain(entry.value),
          location: entry.value.location,
        });
      }
    } else if (node) {
      this.invalid(
        `\`include:inputs\` at line ${node.location.line} must be a map of input names to values.`,
        node.location,
      );
    }
    return inputs;
  }

  private async rulesAllow(
    rules: LocatedNode | undefined,
    origin: Origin,
  ): Promise<boolean> {
    if (!rules) return true;
    if (rules.kind !== 'seq') {
      this.invalid(
        `\`include:rules\` at line ${rules.location.line} must be a list of rules.`,
        rules.location,
      );
      return true;
    }
    for (const rule of rules.items) {
      if (rule.kind !== 'map') continue;
      const when = stringOf(getEntry(rule, 'when')) ?? 'always';
      const exists = getEntry(rule, 'exists');
      const condition = stringOf(getEntry(rule, 'if'));
      let matches = true;
      if (
        condition !== undefined &&
        evaluateRuleIf(condition, this.settings.variables) === false
      ) {
        matches = false;
      }
      if (matches && exists && origin.kind === 'local') {
        const paths =
          exists.kind === 'seq'
            ? exists.items.map(stringOf)
            : [stringOf(exists)];
        matches = await this.anyLocalExists(
          paths.filter((p): p is string => p !== undefined),
        );
      }
      if (matches) {
        return when !== 'never';
      }
    }
    return false;
  }

  private async anyLocalExists(paths: string[]): Promise<boolean> {
    for (const path of paths) {
      if (path.includes('*') || path.includes('$')) {
        // Wildcards and variables are not evaluated: assume the rule matches.
        return true;
      }
      try {
        if (
          (await this.settings.reader.readLocal(path.replace(/^\/+/, ''))) !==
          undefined
        ) {
          return true;
        }
      } catch {
        // A rejected path does not exist for the purpose of the rule.
      }
    }
    return false;
  }

  /** Expands `$VAR` and `${VAR}` in an include path; reports unknown variables. */
  private expand(value: string, location: SourceLocation): string | undefined {
    let unknown: string | undefined;
    const result = value.replace(
      /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (match, braced, plain) => {
        const name = braced ?? plain;
        const known = this.settings.variables.get(name);
        if (known === undefined) {
          unknown ??= name;
          return match;
        }
        return known;
      },
    );
    if (unknown !== undefined) {
      this.errors.push({
        code: 'include-missing',
        message: `The include ${JSON.stringify(value)} at line ${
          location.line
        } uses the variable $${unknown}, which is not known when resolving offline; pass it in includeVariables (or projectPath for $CI_PROJECT_PATH).`,
        location,
      });
      return undefined;
    }
    return result;
  }

  private invalid(message: string, location: SourceLocation): void {
    this.errors.push({ code: 'invalid-config', message, location });
  }
}

interface IncludeItem {
  node: LocatedNode;
  location: SourceLocation;
}

function includeItems(node: LocatedNode): IncludeItem[] {
  if (node.kind === 'seq') {
    return node.items.map(item => ({ node: item, location: item.location }));
  }
  return [{ node, location: node.location }];
}

/**
 * Turns an include path into the form used for file ids: relative to the
 * project root, without `./` segments. A leading `..` is kept so the reader
 * can reject it.
 */
function normalizeLocalPath(value: string): string {
  return posix.normalize(value.replace(/^\/+/, '')).replace(/^\.\/+/, '');
}

function stringOf(node: LocatedNode | undefined): string | undefined {
  if (node?.kind === 'scalar' && node.value !== null) {
    return String(node.value);
  }
  return undefined;
}

/**
 * Local includes inside a component resolve in the component's project:
 * `host/group/project/name@version` has project `group/project` and ref `version`.
 */
function componentOrigin(component: string): Origin {
  const [address, version] = component.split('@');
  const segments = address.split('/');
  if (segments.length < 4) {
    return { kind: 'local' };
  }
  return {
    kind: 'project',
    project: segments.slice(1, -1).join('/'),
    ref: version,
  };
}
