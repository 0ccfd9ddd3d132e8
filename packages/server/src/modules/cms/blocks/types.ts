import type { Block, BlockType } from '@openarky/contract';

export type { Block, BlockType };

/** One repetition of a `block`-type value (CONTRACT §8.2). */
export interface BlockGroup {
  id: string;
  blocks: Block[];
}

/** A field error of the block checker (same shape as `lib/errors` FieldError, kept local: pure module). */
export interface BlockFieldError {
  field: string;
  reason: string;
  message?: string;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `media:<id>` / `entry:<id>`: the stored form of a relationship item. */
export const REF_PATTERN = /^(media|entry):([A-Za-z0-9_-]{1,100})$/;
