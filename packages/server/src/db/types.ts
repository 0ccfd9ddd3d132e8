import type { FoundationTables } from '../lib/foundation.table.ts';
import type { IdentityTables } from '../modules/identity/identity.table.ts';
import type { TenancyTables } from '../modules/tenancy/tenancy.table.ts';
import type { StoreTables } from '../modules/stores/store.table.ts';
import type { MarketTables } from '../modules/markets/market.table.ts';
import type { ProfileTables } from '../modules/profiles/profile.table.ts';
import type { CatalogTables } from '../modules/catalog/catalog.table.ts';
import type { CommerceTables } from '../modules/commerce/commerce.table.ts';
import type { WebhookTables } from '../modules/webhooks/webhook.table.ts';
import type { IntegrationTables } from '../modules/integrations/integration.table.ts';
import type { CmsTables } from '../modules/cms/cms.table.ts';
import type { MediaTables } from '../modules/media/media.table.ts';
import type { PaymentTables } from '../modules/payments/payments.table.ts';
import type { FormTables } from '../modules/forms/forms.table.ts';
import type { AudienceTables } from '../modules/audiences/audiences.table.ts';
import type { BookingTables } from '../modules/booking/booking.table.ts';

/**
 * Every table, assembled from the `*.table.ts` file of the module that writes it (the one place
 * allowed to reach into modules without their `index.ts`, for types only).
 */
export interface Database
  extends
    FoundationTables,
    IdentityTables,
    TenancyTables,
    StoreTables,
    MarketTables,
    ProfileTables,
    CatalogTables,
    CommerceTables,
    WebhookTables,
    IntegrationTables,
    CmsTables,
    MediaTables,
    PaymentTables,
    FormTables,
    AudienceTables,
    BookingTables {}
