import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { PUBLIC_KEY, SESSION_KEY } from '../../auth/auth.decorators';
import type { SessionCoverage } from '../../sessions/visitor-sessions';
import { ErrorResponseDto } from '../errors/error-response.dto';

const API_KEY = { 'api-key': [] };
const SESSION = { 'visitor-session': [] };

const operationId = (controller: string, method: string): string => `${controller.replace(/Controller$/, '')}_${method}`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('omnigate')
    .setDescription(
      'The REST API of omnigate, the gateway between your chat apps and Rocket.Chat Omnichannel. ' +
        'Authenticate with `Authorization: Bearer <api key>`. Every error has the shape `{ statusCode, error, message, details? }`.',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // relative: Swagger UI's "Try it out" calls the gateway that serves the page
    .addServer('/', 'this gateway')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque og_ API key',
        description: 'An omnigate API key (`og_...`, from POST /v1/api-keys), sent as `Authorization: Bearer <key>`',
      },
      'api-key',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ogs_ visitor session token',
        description:
          "A visitor session token (`ogs_...`, from POST /v1/visitors/:token/sessions) for a browser: only the routes that list it, only for the visitor's own rooms",
      },
      'visitor-session',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto], operationIdFactory: operationId });
  markSecurity(app, document);
  return document;
}

/**
 * Each operation's `security`, as ApiKeyGuard reads the routes' marks: `[]` for @Public() (on the
 * handler or its controller), the API key or a visitor session for @AllowVisitorSession, a visitor
 * session only for @VisitorSessionOnly, else the API key. Matched by operation id, which names the
 * controller and the handler.
 */
function markSecurity(app: INestApplication, document: OpenAPIObject): void {
  const byId = new Map<string, Array<Record<string, string[]>>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const isPublic = (Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype)) as boolean | undefined;
        const session = Reflect.getMetadata(SESSION_KEY, handler) as SessionCoverage | undefined;
        const security = isPublic ? [] : session === 'session' ? [SESSION] : session ? [API_KEY, SESSION] : [API_KEY];
        byId.set(operationId(metatype.name, key), security);
      }
    }
  }
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.options, item.head, item.patch, item.trace]) {
      const security = operation?.operationId ? byId.get(operation.operationId) : undefined;
      if (operation && security) operation.security = security;
    }
  }
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return document;
}
