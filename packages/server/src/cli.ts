/**
 * `openarky <command>`: operations on the database the server is configured for (same environment
 * variables as the server; config.ts reads them). Exit code 0 on success, 1 on failure, 2 on usage.
 *
 *   migrate [up]                      apply pending migrations
 *   migrate status                    list applied and pending migrations
 *   seed-demo                         create the demo store when the database has no store
 *   create-user --email E --password P [--super]
 *   create-store --key K --owner EMAIL [--timezone Z] [--billing-email E]
 *   jobs [list] [--state failed|pending|done] [--limit N]
 *   jobs retry <job id>               run a failed job again
 *   secrets rotate                    re-seal stored secrets under ENCRYPTION_KEY
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { runCommand, UsageError } from './cli/commands.ts';

export const USAGE = `usage: openarky <command>
  migrate [up] | migrate status
  seed-demo
  create-user --email <email> --password <password> [--super]
  create-store --key <key> --owner <email> [--timezone <IANA zone>] [--billing-email <email>]
  jobs [list] [--state failed|pending|done] [--limit <n>] | jobs retry <job id>
  secrets rotate`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      super: { type: 'boolean' },
      key: { type: 'string' },
      owner: { type: 'string' },
      timezone: { type: 'string' },
      'billing-email': { type: 'string' },
      state: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    return await runCommand(config, positionals, values);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
