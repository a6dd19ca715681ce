import pg from 'pg';
import { startTestPostgres } from '../testing/postgres-server';
import { describeRepositoryContract } from './interview-repository.contract';
import { openPostgresRepository } from './postgres-repository';

const TABLES = [
  'interviews',
  'storage_probe',
  'samples',
  'events',
  'reviews',
  'speakers',
  'connection_notes',
  'rejections',
];

/** Runs SQL as the test's superuser on the database a store name points at. */
async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describeRepositoryContract('postgres', async () => {
  const server = await startTestPostgres();
  const open = (url: string, schemaVersion?: number) =>
    openPostgresRepository({
      connectionString: url,
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
    });
  return {
    async fresh(options = {}) {
      const name = await server.createDatabase();
      return { repo: await open(name, options.schemaVersion), name };
    },
    reopen: (name, options = {}) => open(name, options.schemaVersion),
    // A trigger raising SQLSTATE 53100 (disk_full) is what Postgres reports when it cannot
    // extend a file: the driver, the mapping and the rollback are all the real ones.
    fillDisk: (_repo, name) =>
      admin(
        name,
        `CREATE FUNCTION li_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'
           USING ERRCODE = 'disk_full'; END $$;
         ${TABLES.map((t) => `CREATE TRIGGER li_full BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION li_disk_full();`).join('\n')}`,
      ),
    freeDisk: (_repo, name) =>
      admin(
        name,
        `${TABLES.map((t) => `DROP TRIGGER li_full ON ${t};`).join('\n')}
         DROP FUNCTION li_disk_full();`,
      ),
    crashServer: () => server.crashAndRestart(),
    teardown: () => server.stop(),
  };
});
