import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  createFetchPlainAction,
  createFetchPlainFileAction,
} from '@backstage/plugin-scaffolder-backend';
import {
  createGitlabProjectVariableAction,
  createPublishGitlabMergeRequestAction,
} from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import Ajv from 'ajv';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createConfigRenderAction } from './actions/configRender';
import { createFleetAddClusterAction } from './actions/fleetAddCluster';
import { createFleetLendAction } from './actions/fleetLend';
import { createMigrationApplyAction } from './actions/migrationApply';
import { createProjectLocateAction } from './actions/projectLocate';
import { createRequestCreateAction } from './actions/requestCreate';
import { createRunnerCreateAction } from './actions/runnerCreate';
import { gitlabIntegrationConfig } from './__testUtils__/gitlab';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../examples/templates');

const integrations = ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig));
const options = {
  catalog: catalogServiceMock(),
  integrations,
  permissions: mockServices.permissions(),
};
const reader = mockServices.urlReader.mock();

/** Every action a deployment with this module and the GitLab module offers that the templates may use. */
const actions = [
  createConfigRenderAction(options),
  createRunnerCreateAction(options),
  createRequestCreateAction(options),
  createMigrationApplyAction(),
  createProjectLocateAction(options),
  createFleetLendAction(options),
  createFleetAddClusterAction(options),
  createFetchPlainAction({ reader, integrations }),
  createFetchPlainFileAction({ reader, integrations }),
  createPublishGitlabMergeRequestAction({ integrations }),
  createGitlabProjectVariableAction({ integrations }),
];
const actionsById = new Map(actions.map(a => [a.id, a]));

type TemplateStep = { id: string; action: string; if?: unknown; input?: Record<string, unknown> };
type Template = {
  metadata: { name: string };
  spec: {
    parameters: Array<{ properties: Record<string, Record<string, unknown>>; required?: string[] }>;
    steps: TemplateStep[];
    output?: unknown;
  };
};

function loadTemplates(): Array<[string, Template]> {
  const { readdirSync, readFileSync, statSync } = require('node:fs');
  return (readdirSync(TEMPLATES_DIR) as string[])
    .filter(name => statSync(path.join(TEMPLATES_DIR, name)).isDirectory())
    .map(name => [
      name,
      parseYaml(readFileSync(path.join(TEMPLATES_DIR, name, 'template.yaml'), 'utf8')) as Template,
    ]);
}

const templates = loadTemplates();
const EXPRESSION = /\$\{\{(.*?)\}\}/gs;

function expressions(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  return [...text.matchAll(EXPRESSION)].map(m => m[1]);
}

function newAjv() {
  // ui:* keys belong to react-jsonschema-form; enumNames is its legacy keyword.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  return ajv;
}

describe('example templates', () => {
  it('are all listed in all.yaml', async () => {
    const location = parseYaml(await fs.readFile(path.join(TEMPLATES_DIR, 'all.yaml'), 'utf8'));

    expect(location.kind).toBe('Location');
    expect([...location.spec.targets].sort()).toEqual(
      templates.map(([name]) => `./${name}/template.yaml`).sort(),
    );
    expect(templates.map(([name]) => name).sort()).toEqual([
      'add-cluster-to-fleet',
      'lend-qa-runners',
      'move-to-kubernetes-runners',
      'request-specialised-runner',
    ]);
  });

  describe.each(templates)('%s', (name, template) => {
    it('is a valid v1beta3 template named after its folder', async () => {
      await expect(templateEntityV1beta3Validator.check(template as any)).resolves.toBe(true);
      expect(template.metadata.name).toBe(name);
    });

    it('has parameters that are valid JSON Schema with valid defaults', () => {
      const ajv = newAjv();
      for (const step of template.spec.parameters) {
        const schema = { type: 'object', ...step };
        expect(ajv.validateSchema(schema)).toBe(true);
        ajv.compile(schema);
        const withDefaults = Object.entries(step.properties).filter(([, property]) => 'default' in property);
        for (const [key, property] of withDefaults) {
          const validate = ajv.compile(property);
          expect({ key, valid: validate(property.default) || validate.errors }).toEqual({ key, valid: true });
        }
        for (const key of step.required ?? []) {
          expect(Object.keys(step.properties)).toContain(key);
        }
      }
    });

    it('uses only existing actions with known inputs', () => {
      const ajv = newAjv();
      for (const step of template.spec.steps) {
        const action = actionsById.get(step.action);
        expect({ step: step.id, known: Boolean(action) }).toEqual({ step: step.id, known: true });
        const inputSchema = action!.schema!.input as { properties: Record<string, unknown>; required?: string[] };
        for (const key of Object.keys(step.input ?? {})) {
          expect({ step: step.id, input: key, known: key in inputSchema.properties }).toEqual({
            step: step.id,
            input: key,
            known: true,
          });
        }
        for (const key of inputSchema.required ?? []) {
          expect({ step: step.id, required: key, given: key in (step.input ?? {}) }).toEqual({
            step: step.id,
            required: key,
            given: true,
          });
        }
        // Literal inputs must already satisfy the action's schema.
        const literals = Object.fromEntries(
          Object.entries(step.input ?? {}).filter(([, v]) => expressions(v).length === 0),
        );
        const validateLiteral = ajv.compile({ ...inputSchema, required: [] });
        expect({ step: step.id, valid: validateLiteral(literals) || validateLiteral.errors }).toEqual({
          step: step.id,
          valid: true,
        });
      }
    });

    it('refers only to parameters and earlier step outputs that exist', () => {
      const parameterNames = new Set(template.spec.parameters.flatMap(p => Object.keys(p.properties)));
      const outputsByStep = new Map<string, Set<string>>();
      const check = (value: unknown, where: string, available: Map<string, Set<string>>) => {
        for (const expression of expressions(value)) {
          for (const [, param] of expression.matchAll(/parameters\.([A-Za-z0-9_]+)/g)) {
            expect({ where, parameter: param, exists: parameterNames.has(param) }).toEqual({
              where,
              parameter: param,
              exists: true,
            });
          }
          for (const [, stepId, output] of expression.matchAll(/steps\.([A-Za-z0-9_]+)\.output\.([A-Za-z0-9_]+)/g)) {
            expect({ where, reference: `${stepId}.${output}`, exists: available.get(stepId)?.has(output) ?? false }).toEqual({
              where,
              reference: `${stepId}.${output}`,
              exists: true,
            });
          }
        }
      };
      for (const step of template.spec.steps) {
        check({ input: step.input, if: step.if }, step.id, outputsByStep);
        const outputSchema = actionsById.get(step.action)?.schema?.output as
          | { properties?: Record<string, unknown> }
          | undefined;
        outputsByStep.set(step.id, new Set(Object.keys(outputSchema?.properties ?? {})));
      }
      check(template.spec.output, 'output', outputsByStep);
    });
  });
});
