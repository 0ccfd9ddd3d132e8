/**
 * Compile-time tests of the typed seams: `npm run typecheck` compiles this file (it is never run).
 * Each `@ts-expect-error` line must fail to compile; if one starts compiling, tsc reports the
 * unused directive and the typecheck fails.
 */
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../src/lib/context.ts';
import { emit } from '../src/lib/events.ts';
import { enqueue, handleJob, jobKind } from '../src/lib/jobs.ts';
import { defineMachine } from '../src/lib/state-machine.ts';

declare const ctx: Ctx;

export async function events(): Promise<void> {
  await emit(ctx, 'store.deleted', { id: 'store_x', key: 'shop' }, 'store_x');
  // @ts-expect-error an event name outside the contract's map does not compile
  await emit(ctx, 'no.such.event', {}, 'store_x');
  // @ts-expect-error the payload must have the event's type (a deleted entity needs its id)
  await emit(ctx, 'product.deleted', { key: 'shirt' }, 'store_x');
}

const PURGE = jobKind('test.purge', Type.Object({ store_id: Type.String() }));

export async function jobs(): Promise<void> {
  await enqueue(ctx.db, 0, PURGE, { store_id: 'store_x' });
  // @ts-expect-error a payload of the wrong shape does not compile
  await enqueue(ctx.db, 0, PURGE, { storeId: 'store_x' });
  handleJob(PURGE, async (payload) => {
    payload.store_id.toUpperCase();
    // @ts-expect-error a handler reading a field its payload does not have does not compile
    void payload.db;
  });
  // @ts-expect-error the job context is the second argument, not part of the payload (the old webhooks.prune bug)
  handleJob(PURGE, async ({ db }) => db);
}

export function machines(): void {
  const m = defineMachine<'a' | 'b', null>({ subject: 'A thing', transitions: { a: ['b'], b: [] } });
  m.assert('a', 'b');
  // @ts-expect-error a state outside the machine's union does not compile
  m.assert('a', 'c');
}
