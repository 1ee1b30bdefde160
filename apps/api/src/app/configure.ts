import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ApiConfig } from './config';

/** The OpenAPI document, generated from the controllers' decorators and the zod schemas. */
export function openApiDocument(app: INestApplication) {
  const builder = new DocumentBuilder()
    .setTitle('FlowSteer API')
    .setDescription('Sessions, evaluation runs and training runs of FlowSteer on Temporal. Every route but /healthz and /readyz needs `Authorization: Bearer <token>`.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, builder);
}

/**
 * Everything main.ts and the e2e tests both need on the application: the JSON body limit,
 * the OpenAPI document at /docs (JSON at /docs-json), graceful shutdown.
 * Create the application with `{ bodyParser: false }` so the limit here is the only parser.
 */
export function configureApp(app: NestExpressApplication, config: ApiConfig): NestExpressApplication {
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.disable('x-powered-by');
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'FlowSteer API' });
  app.enableShutdownHooks();
  return app;
}
