import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the fleet overview page in the new frontend system. */
export const rootRouteRef = createRouteRef();

/** Route of the fleet overview page in legacy apps. */
export const legacyRootRouteRef = createLegacyRouteRef({ id: 'runner-fleet' });
