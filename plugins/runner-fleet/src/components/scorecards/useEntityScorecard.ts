import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import { usePolledAsync } from '../shared';

/**
 * Loads the scorecard of the current entity's GitLab project and polls for
 * updates. `value` is null when the backend has no scorecard yet.
 */
export function useEntityScorecard() {
  const { entity } = useEntity();
  const api = useApi(runnerFleetApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = usePolledAsync(
    async () => (await api.getScorecardForEntity(entityRef)) ?? null,
    [api, entityRef],
  );
  return { entity, entityRef, ...state };
}
