import type { Generated } from 'kysely';

export interface IdempotencyKeyTable {
  principal: string;
  route: string;
  key: string;
  request_hash: string;
  /** `running` while the first request executes, `done` once its response is stored. */
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  locked_until: number;
  created_at: number;
  expires_at: number;
  /** Sealed JSON list of the results of the request's committed transactions (see IdempotencyScope). */
  tx_results: string | null;
  /** The attempt currently holding the key. */
  owner: string;
}

export interface OutboxEventTable {
  seq: Generated<number>;
  id: string;
  store_id: string | null;
  type: string;
  /** JSON */
  data: string;
  created_at: number;
  dispatched_at: number | null;
}

export interface JobTable {
  id: string;
  kind: string;
  dedupe_key: string | null;
  /** JSON */
  payload: string;
  state: 'pending' | 'done' | 'failed';
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface FoundationTables {
  idempotency_keys: IdempotencyKeyTable;
  outbox_events: OutboxEventTable;
  jobs: JobTable;
}
