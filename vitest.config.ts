import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every suite on SQLite. With TEST_DATABASE_URL (a PostgreSQL server) the suites
 * that touch a database run again on PostgreSQL, each file in a database it creates and drops.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
const common = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };
/**
 * Test files mostly wait on databases, child processes and sockets, so they run three at a time
 * even on two cores (vitest's default is cores − 1: one file at a time on a 2-core CI machine).
 * TEST_WORKERS overrides it.
 */
const workers = Number(process.env.TEST_WORKERS ?? 3);

export default defineConfig({
  test: {
    maxWorkers: workers,
    minWorkers: 1,
    projects: [
      {
        test: {
          ...common,
          name: 'sqlite',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          env: { TEST_DB_ENGINE: 'sqlite' },
        },
      },
      ...(pgUrl
        ? [
            {
              test: {
                ...common,
                name: 'postgres',
                include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
                exclude: ['**/*.unit.test.ts', '**/node_modules/**'],
                env: { TEST_DB_ENGINE: 'postgres', TEST_DATABASE_URL: pgUrl },
              },
            },
          ]
        : []),
    ],
  },
});
