import { Module } from '@nestjs/common';
import { decorate } from '../nest/decorate';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

export class SessionsModule {}

decorate(SessionsModule, { use: [Module({ controllers: [SessionsController], providers: [SessionsService] })] });
