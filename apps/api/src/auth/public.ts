import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'flowsteer:public';

/** Marks a controller or route as open (health and readiness probes). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
