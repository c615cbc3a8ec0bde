import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleRunnerFleet } from './module';
import { gitlabIntegrationConfig } from './__testUtils__/gitlab';

describe('scaffolderModuleRunnerFleet', () => {
  it('registers every runner-fleet action', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [scaffolderActionsExtensionPoint, { addActions: (...actions: any[]) => added.push(...actions) }],
      ],
      features: [
        scaffolderModuleRunnerFleet,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: gitlabIntegrationConfig }),
      ],
    });

    expect(added.map(a => a.id).sort()).toEqual([
      'runner-fleet:config:render',
      'runner-fleet:fleet:add-cluster',
      'runner-fleet:fleet:lend',
      'runner-fleet:migration:apply',
      'runner-fleet:project:locate',
      'runner-fleet:request:create',
      'runner-fleet:runner:create',
    ]);
    for (const action of added) {
      expect({ id: action.id, dryRun: action.supportsDryRun }).toEqual({ id: action.id, dryRun: true });
      expect(action.examples?.length).toBeGreaterThan(0);
      const fields = ['input', 'output'].flatMap(kind =>
        Object.entries(
          (action.schema?.[kind as 'input' | 'output'] as { properties: Record<string, { description?: string }> })
            .properties,
        ).map(([field, property]) => [`${kind}.${field}`, property] as const),
      );
      for (const [name, property] of fields) {
        expect({ id: action.id, name, described: Boolean(property.description) }).toEqual({
          id: action.id,
          name,
          described: true,
        });
      }
    }
  });
});
