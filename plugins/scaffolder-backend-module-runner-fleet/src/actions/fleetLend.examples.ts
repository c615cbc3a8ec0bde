import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Lend the QA runners to the production default fleet for a week',
    example: stringify({
      steps: [
        {
          id: 'lend',
          action: 'runner-fleet:fleet:lend',
          name: 'Lend QA runners',
          input: {
            fleet: 'resource:default/fleet-qa-k8s-default',
            borrower: 'resource:default/fleet-k8s-default',
            until: '2026-12-11',
            reason: 'Default fleet lost half its nodes in the cluster-default-v3 outage',
            fleetEntityPath: 'catalog/fleets.yaml',
          },
        },
      ],
    }),
  },
];
