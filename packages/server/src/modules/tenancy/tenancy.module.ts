import { countRows, defineModule } from '../../lib/module.ts';

/** The tenancy floor's own contribution: the `members` store count. */
export const tenancyModule = defineModule({
  name: 'tenancy',
  storeCounters: { members: countRows('memberships') },
});
