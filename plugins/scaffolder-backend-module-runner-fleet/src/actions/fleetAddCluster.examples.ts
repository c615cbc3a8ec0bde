import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Add cluster-default-v3 to the default fleet and drain cluster-default-v2',
    example: stringify({
      steps: [
        {
          id: 'add',
          action: 'runner-fleet:fleet:add-cluster',
          name: 'Add the new cluster',
          input: {
            fleet: 'resource:default/fleet-k8s-default',
            cluster: 'resource:default/cluster-default-v3',
            drainCluster: 'resource:default/cluster-default-v2',
            fleetEntityPath: 'catalog/fleets.yaml',
            concurrent: 50,
          },
        },
      ],
    }),
  },
];
