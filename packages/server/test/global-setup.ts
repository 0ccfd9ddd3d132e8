import type { TestProject } from 'vitest/node';
import { createDbTemplate, type DbTemplate } from './db-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database this project's test databases are copied from (`createTestDatabase`). */
    dbTemplate: DbTemplate;
  }
}

/** Per project (engine): migrates one template database before its files run, drops it after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = project.config.env ?? {};
  const engine = env.TEST_DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
  const { template, drop } = await createDbTemplate(engine, env.TEST_DATABASE_URL);
  project.provide('dbTemplate', template);
  return drop;
}
