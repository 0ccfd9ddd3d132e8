import type { TestProject } from 'vitest/node';
import { createDbTemplate } from './db-template.ts';

/** Per project (engine): migrates one template database before its files run, drops it after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = project.config.env ?? {};
  const engine = env.TEST_DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
  const { template, drop } = await createDbTemplate(engine, env.TEST_DATABASE_URL);
  project.provide('dbTemplate', template);
  return drop;
}
