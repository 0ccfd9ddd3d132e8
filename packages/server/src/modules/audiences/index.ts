import { handleJob } from '../../lib/jobs.ts';
import { defineModule, jobCtx } from '../../lib/module.ts';
import { audienceRoutes, storefrontAudienceRoutes } from './audience.routes.ts';
import type { ProfileListMemberTable } from './audiences.table.ts';
import { preferMembership } from './list.rules.ts';
import { profileMemberships } from './member.service.ts';
import {
  CANCEL_PAID_SUBSCRIPTION_JOB,
  cancelPaidSubscriptionJob,
  syncPaidSubscription,
} from './paid.cancel.ts';
import { paidListEvents } from './paid.events.ts';

export { audienceRoutes, storefrontAudienceRoutes } from './audience.routes.ts';
export { setMembershipStatus, unsubscribeHeaders } from './membership.ts';
export { MEMBERSHIP_TRANSITIONS, canTransition, parseListType } from './list.rules.ts';

/**
 * Audiences (CONTRACT §10.6): lists, members, storefront subscriptions; paid lists' Stripe
 * events through payments' `stripeStoreEvents`, and the job that stops a paid membership's Stripe
 * subscription when it changes on our side (unsubscribe, admin, merge); memberships in the admin profile view. A merged
 * profile's memberships follow it; where both were members of a list the stronger membership
 * (active over pending over ended) survives and the other's Stripe subscription is cancelled.
 */
export const audiencesModule = defineModule({
  name: 'audiences',
  provides: { stripeStoreEvents: paidListEvents, profileMemberships },
  install: (deps) => ({
    routes: async (app) => {
      await app.register(audienceRoutes);
      await app.register(storefrontAudienceRoutes);
    },
    jobs: [
      handleJob(CANCEL_PAID_SUBSCRIPTION_JOB, (payload, job) =>
        cancelPaidSubscriptionJob(jobCtx(deps, job, CANCEL_PAID_SUBSCRIPTION_JOB.kind), payload),
      ),
    ],
  }),
  onProfileMerge: async (tx, { storeId, fromProfileId, intoProfileId }) => {
    const rows = await tx.db
      .selectFrom('profile_list_members')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('profile_id', 'in', [fromProfileId, intoProfileId])
      .execute();
    const byList = new Map<string, { from?: ProfileListMemberTable; into?: ProfileListMemberTable }>();
    for (const r of rows) {
      const pair = byList.get(r.profile_list_id) ?? {};
      if (r.profile_id === fromProfileId) pair.from = r;
      else pair.into = r;
      byList.set(r.profile_list_id, pair);
    }
    // A deleted membership that was paying stops its Stripe subscription (a job, after commit).
    const drop = async (row: ProfileListMemberTable) => {
      await syncPaidSubscription(tx, row, 'removed');
      await tx.db.deleteFrom('profile_list_members').where('id', '=', row.id).execute();
    };
    for (const { from, into } of byList.values()) {
      if (!from) continue;
      if (into && preferMembership(into, from) === into) {
        await drop(from);
        continue;
      }
      if (into) await drop(into);
      await tx.db
        .updateTable('profile_list_members')
        .set({ profile_id: intoProfileId })
        .where('id', '=', from.id)
        .execute();
    }
  },
});
