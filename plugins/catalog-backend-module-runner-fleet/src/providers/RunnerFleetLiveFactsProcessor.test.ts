import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATIONS } from '@runner-fleet/plugin-runner-fleet-common';
import { computeLiveFacts } from '../lib/liveFacts';
import {
  MemoryLiveFactsStore,
  type LiveFactsStore,
} from '../lib/liveFactsStore';
import { observedRunner } from '../__testUtils__/observedRunner';
import { RunnerFleetLiveFactsProcessor } from './RunnerFleetLiveFactsProcessor';

function fleet(name: string, annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'gitlab-runner-fleet', tags: ['k8s-default'] },
  };
}

describe('RunnerFleetLiveFactsProcessor', () => {
  const facts = computeLiveFacts(
    [observedRunner(7, { tags: ['k8s-default'] })],
    new Date('2026-12-04T12:00:00.000Z'),
  );

  async function processorWithFacts() {
    const store = new MemoryLiveFactsStore();
    await store.write(
      'RunnerFleetEntityProvider:example',
      new Map([['resource:default/fleet-k8s-default', facts]]),
    );
    return new RunnerFleetLiveFactsProcessor({
      store,
      logger: mockServices.logger.mock(),
    });
  }

  it('merges facts into a declared fleet', async () => {
    const processor = await processorWithFacts();

    const result = await processor.preProcessEntity(fleet('fleet-k8s-default'));

    expect(result.spec?.live).toEqual(facts);
    expect(result.spec?.tags).toEqual(['k8s-default']);
    expect(result.metadata.annotations?.[ANNOTATIONS.provider]).toBe(
      'RunnerFleetEntityProvider:example',
    );
  });

  it('leaves other entities unchanged', async () => {
    const processor = await processorWithFacts();
    const discovered = fleet('fleet-k8s-default', {
      [ANNOTATIONS.discovered]: 'true',
    });
    const component: Entity = {
      ...fleet('fleet-k8s-default'),
      kind: 'Component',
    };
    const unknown = fleet('fleet-other');

    expect(await processor.preProcessEntity(discovered)).toBe(discovered);
    expect(await processor.preProcessEntity(component)).toBe(component);
    expect(await processor.preProcessEntity(unknown)).toBe(unknown);
  });

  it('passes entities through when the store fails', async () => {
    const store: LiveFactsStore = {
      write: async () => {},
      read: async () => {
        throw new Error('cache unreachable');
      },
    };
    const logger = mockServices.logger.mock();
    const processor = new RunnerFleetLiveFactsProcessor({ store, logger });
    const entity = fleet('fleet-k8s-default');

    expect(await processor.preProcessEntity(entity)).toBe(entity);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not read live facts of resource:default/fleet-k8s-default: cache unreachable',
    );
  });
});
