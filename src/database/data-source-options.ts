import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { EventNotifySubscriber } from '../live/event-notify.subscriber';

const root = join(__dirname, '..', '..');

/** TypeORM options shared by the application and the TypeORM CLI. `synchronize` is never on. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(root, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    subscribers: [EventNotifySubscriber],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, application_name: 'omnigate' },
  };
}
