/**
 * The DataSource used by the TypeORM CLI (`npm run migration:generate|run|revert`).
 * With DATABASE_URL unset it starts the same embedded PostgreSQL as `npm start` (DATA_DIR),
 * which stops when the CLI exits.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';

async function cliDataSource(): Promise<DataSource> {
  const config = loadConfig();
  let url = config.database.url;
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: config.database.dataDir });
    url = pg.url;
    process.once('exit', () => void pg.stop());
  }
  return new DataSource(dataSourceOptions(url, 2));
}

export default cliDataSource();
