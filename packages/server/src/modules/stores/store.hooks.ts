import type { StoreCtx } from '../../lib/context.ts';

/** Runs inside the store-deletion transaction, before the store's rows are removed. */
export type StoreDeleteHook = (tx: StoreCtx) => Promise<void>;

const hooks = new Map<string, StoreDeleteHook>();

/**
 * Lets a module act on a store's rows before `ON DELETE CASCADE` removes them (webhooks capture
 * their targets so `store.deleted` can still be delivered). Registering a name again replaces it.
 */
export function beforeStoreDelete(name: string, hook: StoreDeleteHook): void {
  hooks.set(name, hook);
}

export async function runBeforeStoreDelete(tx: StoreCtx): Promise<void> {
  for (const hook of hooks.values()) await hook(tx);
}
