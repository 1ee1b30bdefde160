import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app/app.module';
import { ConfigError, loadConfig } from './app/config';
import { configureApp } from './app/configure';
import { startupWarnings } from './app/startup-warnings';

/** `npx tsx apps/api/src/main.ts`: the REST API on FLOWSTEER_API_HOST:FLOWSTEER_API_PORT (127.0.0.1:8080). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('flowsteer-api');
  for (const warning of startupWarnings(config)) logger.warn(warning);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: ['log', 'warn', 'error'],
    ...(config.tls ? { httpsOptions: { cert: config.tls.cert, key: config.tls.key } } : {}),
  });
  configureApp(app, config);
  await app.listen(config.port, config.host);
  const principals = [...new Set(config.tokens.map((t) => `${t.name} (${t.role})`))].join(', ') || 'none';
  logger.log(
    `listening on ${config.tls ? 'https' : 'http'}://${config.host}:${config.port} (docs at /docs), Temporal ${config.temporalAddress} namespace ${config.temporalNamespace}; ` +
      `principals: ${principals}; backends: ${config.resources.backends.join(', ')}; models: ${config.resources.models.join(', ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `flowsteer-api: ${err.message}` : err);
  process.exit(1);
});
