import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/errors/validation';
import { errorBody } from './common/errors/http-exception.filter';
import { contentTypeHook } from './common/http/content-type.hook';
import { InputSanityPipe } from './common/http/input-sanity.pipe';
import { requestId } from './common/logging';
import { setupSwagger } from './common/http/swagger';
import { AppConfig } from './config/app-config';

export interface CreateAppOptions {
  /** Keep Nest's bootstrap logs quiet (tests). */
  silent?: boolean;
}

/** Builds the gateway (not yet listening): Fastify, validation, the error shape, Swagger. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: requestId,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // errors the router raises before any route runs (a malformed %-escape in the path) get the shared shape
    frameworkErrors: (error: Error, _request: unknown, reply: { status(code: number): { send(body: unknown): unknown } }) => {
      void reply.status(400).send(errorBody(400, error.message));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    logger: options.silent ? false : undefined,
  });
  app.useLogger(app.get(Logger));
  await app.register(multipart as unknown as Parameters<NestFastifyApplication['register']>[0], {
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 5, fieldSize: 1000 },
  });
  app.useGlobalPipes(new InputSanityPipe(), createValidationPipe());
  if (config.http.corsOrigins.length) {
    // browser apps on other origins (fetch and EventSource with a visitor session token)
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', contentTypeHook);
  // `application/*+json` is JSON too, parsed with the same prototype-poisoning protection
  fastify.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string', bodyLimit: config.http.bodyLimitBytes }, fastify.getDefaultJsonParser('error', 'error'));
  app.getHttpAdapter().getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  setupSwagger(app);
  return app;
}
