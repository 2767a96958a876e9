import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { ErrorResponseDto } from '../errors/error-response.dto';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('omnigate')
    .setDescription(
      'The REST API of omnigate, the gateway between your chat apps and Rocket.Chat Omnichannel. ' +
        'Authenticate with `Authorization: Bearer <api key>`. Every error has the shape `{ statusCode, error, message, details? }`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An omnigate API key' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto], operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return document;
}
