import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_identity_stores.ts';
import * as m0004 from './0004_commerce.ts';
import * as m0005 from './0005_webhooks_integrations.ts';
import * as m0006 from './0006_cms_media.ts';
import * as m0008 from './0008_hardening.ts';
import * as m0012 from './0012_platform_super.ts';
import * as m0009 from './0009_payments.ts';
import * as m0011 from './0011_forms_audiences.ts';
import * as m0013 from './0013_perf.ts';
import * as m0014 from './0014_search_rank.ts';
import * as m0015 from './0015_payment_cancel_owed.ts';
import * as m0010 from './0010_booking.ts';
import * as m0007 from './0007_roles.ts';

/** Every migration, in order. A module adds its file here; names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_identity_stores': m0002,
  '0004_commerce': m0004,
  '0005_webhooks_integrations': m0005,
  '0006_cms_media': m0006,
  '0008_hardening': m0008,
  '0012_platform_super': m0012,
  '0009_payments': m0009,
  '0011_forms_audiences': m0011,
  '0013_perf': m0013,
  '0014_search_rank': m0014,
  '0015_payment_cancel_owed': m0015,
  '0010_booking': m0010,
  '0007_roles': m0007,
};
