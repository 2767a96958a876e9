import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { PUBLIC_KEY } from '../../auth/auth.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';

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
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto], operationIdFactory: operationId });
  markPublicOperations(app, document);
  return document;
}

/**
 * Routes marked @Public() (on the handler or its controller, as ApiKeyGuard reads it) declare
 * `security: []`: no API key. Matched by operation id, which names the controller and the handler.
 */
function markPublicOperations(app: INestApplication, document: OpenAPIObject): void {
  const publicIds = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const marked = (Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype)) as boolean | undefined;
        if (marked) publicIds.add(operationId(metatype.name, key));
      }
    }
  }
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.options, item.head, item.patch, item.trace]) {
      if (operation?.operationId && publicIds.has(operation.operationId)) operation.security = [];
    }
  }
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return document;
}
