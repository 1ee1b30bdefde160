import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app/app.module';
import { ConfigError, loadConfig } from './app/config';
import { configureApp } from './app/configure';

/** `npx tsx apps/api/src/main.ts`: the REST API on FLOWSTEER_API_HOST:FLOWSTEER_API_PORT (127.0.0.1:8080). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('flowsteer-api');
  if (!config.tokens.length) logger.warn('no API tokens configured (FLOWSTEER_API_TOKENS or FLOWSTEER_API_TOKENS_FILE): every route but /healthz and /readyz answers 401');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger: ['log', 'warn', 'error'] });
  configureApp(app, config);
  await app.listen(config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port} (docs at /docs), Temporal ${config.temporalAddress} namespace ${config.temporalNamespace}, ${config.tokens.length} token(s)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `flowsteer-api: ${err.message}` : err);
  process.exit(1);
});
