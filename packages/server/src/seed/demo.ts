import type { FastifyInstance } from 'fastify';

export interface DemoInfo {
  storeId: string;
  storeKey: string;
  email: string;
  password: string;
  apiKey: string;
}

/**
 * Creates the demo store on an empty embedded database. Each module adds its demo data as it
 * lands (identity: owner and API key; catalogue: products; booking: services; CMS: entries).
 */
export async function seedDemo(_app: FastifyInstance): Promise<DemoInfo | null> {
  return null;
}
