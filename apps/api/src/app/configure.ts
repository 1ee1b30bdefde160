import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { authenticate } from '../auth/authenticate';
import { TokenSigner } from '../auth/signed-token';
import { TokenTable } from '../auth/tokens';
import { rejectDeepJson } from '../common/json-depth';
import type { ApiConfig } from './config';

/** The OpenAPI document, generated from the controllers' decorators and the zod schemas. */
export function openApiDocument(app: INestApplication) {
  const builder = new DocumentBuilder()
    .setTitle('FlowSteer API')
    .setDescription(
      'Sessions, evaluation runs and training runs of FlowSteer on Temporal. Every route but /healthz, /readyz and /docs needs `Authorization: Bearer <token>`; ' +
        'a token carries a principal and a role (viewer, operator, admin), and operators see and change only what they started.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, builder);
}

/**
 * Everything main.ts and the e2e tests both need on the application, in this order: authentication
 * (before any body is read, so an unauthenticated client gets 401 whatever it sends), the JSON body
 * parser with its size limit, the nesting-depth check, the OpenAPI document at /docs (JSON at
 * /docs-json), graceful shutdown. Create the application with `{ bodyParser: false }` so the parser
 * here is the only one.
 */
export function configureApp(app: NestExpressApplication, config: ApiConfig): NestExpressApplication {
  app.disable('x-powered-by');
  app.use(authenticate(new TokenTable(config.tokens), new TokenSigner(config.signingKey)));
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.use(rejectDeepJson(config.maxJsonDepth));
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'FlowSteer API' });
  app.enableShutdownHooks();
  return app;
}
