import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every suite on SQLite. With TEST_DATABASE_URL (a PostgreSQL server) the suites
 * that touch a database run again on PostgreSQL, each file in a database it creates and drops. Each
 * project (engine) migrates one template database first (packages/server/test/global-setup.ts) and
 * every file's database is a copy of it.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
/**
 * One worker process runs many files (`isolate: false`): the server's module graph is imported
 * once per worker instead of once per file, which was most of each file's CPU. Safe here because
 * modules keep no mutable state between apps (each test builds its own app, database and
 * registries) and no test mocks modules; each project (engine) has its own workers.
 *
 * vitest 3 has one pool for all projects and reads `pool`/`poolOptions` from the ROOT config only:
 * set in the projects alone they were ignored and every file got a fresh process (measured: ~3–4 s
 * of CPU per file importing the server again). The projects keep them too for their own workers.
 */
const common = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  poolOptions: { forks: { isolate: false } },
};
/**
 * Test files mostly wait on databases, child processes and sockets, so they run three at a time
 * even on two cores (vitest's default is cores − 1: one file at a time on a 2-core CI machine).
 * TEST_WORKERS overrides it.
 */
const workers = Number(process.env.TEST_WORKERS ?? 3);

export default defineConfig({
  test: {
    ...common,
    maxWorkers: workers,
    // As many as max: with fewer, the pool retires "idle" workers between files, and with isolate
    // false that lost files mid-run (tinypool "Terminating worker thread") and left orphan workers.
    minWorkers: workers,
    projects: [
      {
        test: {
          ...common,
          name: 'sqlite',
          globalSetup: ['packages/server/test/global-setup.ts'],
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
                globalSetup: ['packages/server/test/global-setup.ts'],
                include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
                // Engine-independent suites run once: unit tests, and the dashboard's browser suite (it drives
                // the UI; every API call it makes is covered on PostgreSQL by the server and SDK suites).
                exclude: ['**/*.unit.test.ts', '**/node_modules/**', 'packages/admin/test/**'],
                env: { TEST_DB_ENGINE: 'postgres', TEST_DATABASE_URL: pgUrl },
              },
            },
          ]
        : []),
    ],
  },
});
