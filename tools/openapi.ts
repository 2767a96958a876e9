/**
 * Writes openapi.json at the repository root from the controllers' decorators, without a database
 * (Nest's preview mode builds the module graph but instantiates no provider). A test compares the
 * committed file with what the running gateway serves at /docs-json.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument } from '../src/common/http/swagger';
import { loadConfig } from '../src/config/app-config';

export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const document = buildOpenApiDocument(app);
  await app.close();
  return JSON.stringify(document, null, 2) + '\n';
}

if (require.main === module) {
  void generateOpenApi().then((json) => {
    const file = join(__dirname, '..', 'openapi.json');
    writeFileSync(file, json);
    process.stdout.write(`wrote ${file}\n`);
  });
}
