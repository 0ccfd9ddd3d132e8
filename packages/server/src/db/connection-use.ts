import type { DatabaseConnection, Dialect, Driver } from 'kysely';

/** How a dialect's connections are used right now: held by a query or transaction, or waited for. */
export interface ConnectionUse {
  inUse: number;
  waiting: number;
}

/**
 * The same dialect, counting its driver's connections in use and the acquisitions still waiting.
 * For SQLite, whose one connection Kysely hands to one query or transaction at a time: a query
 * behind a long transaction shows up as `waiting` (PostgreSQL's pool counts this by itself).
 */
export function countConnectionUse(dialect: Dialect): { dialect: Dialect; use: ConnectionUse } {
  const use: ConnectionUse = { inUse: 0, waiting: 0 };
  const counted: Dialect = {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => countingDriver(dialect.createDriver(), use),
  };
  return { dialect: counted, use };
}

function countingDriver(driver: Driver, use: ConnectionUse): Driver {
  return {
    init: () => driver.init(),
    async acquireConnection(): Promise<DatabaseConnection> {
      use.waiting++;
      try {
        const connection = await driver.acquireConnection();
        use.inUse++;
        return connection;
      } finally {
        use.waiting--;
      }
    },
    releaseConnection(connection) {
      use.inUse--;
      return driver.releaseConnection(connection);
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    ...(driver.savepoint && {
      savepoint: (connection, name, compile) => driver.savepoint!(connection, name, compile),
    }),
    ...(driver.rollbackToSavepoint && {
      rollbackToSavepoint: (connection, name, compile) =>
        driver.rollbackToSavepoint!(connection, name, compile),
    }),
    ...(driver.releaseSavepoint && {
      releaseSavepoint: (connection, name, compile) => driver.releaseSavepoint!(connection, name, compile),
    }),
    destroy: () => driver.destroy(),
  };
}
