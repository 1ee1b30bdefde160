import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { z } from 'zod/v4';
import { openApiQueryParams, openApiSchema } from './schemas';

const ERRORS: Record<number, string> = {
  400: 'invalid input; `errors` lists the fields',
  401: 'no bearer token',
  403: 'the bearer token is not accepted',
  404: 'no such workflow (or it is of another kind)',
  409: 'a workflow with this id exists, or the workflow cannot answer',
  422: 'the workflow rejected the action',
  503: 'Temporal is unreachable',
  504: 'no worker answered in time',
};

export interface RouteDoc {
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Path parameter named `id`, described. */
  id?: string;
  /** Success status -> description. */
  ok: Record<number, string>;
  errors?: number[];
}

/**
 * `@ApiDoc({...})`: the OpenAPI decorators of one route, with request schemas generated from the zod
 * schemas that validate it. They apply bottom-up, as if each were written above the method in this order.
 */
export function ApiDoc(route: RouteDoc): MethodDecorator {
  const decorators: MethodDecorator[] = [
    ApiOperation({ summary: route.summary, ...(route.description ? { description: route.description } : {}) }),
  ];
  if (route.id) decorators.push(ApiParam({ name: 'id', description: route.id, type: String }));
  if (route.body) decorators.push(ApiBody({ schema: openApiSchema(route.body) as SchemaObject }));
  for (const param of route.query ? openApiQueryParams(route.query) : []) {
    decorators.push(
      ApiQuery({
        name: param.name,
        required: param.required,
        schema: param.schema as SchemaObject,
        ...(param.description ? { description: param.description } : {}),
      }),
    );
  }
  for (const [status, description] of Object.entries(route.ok)) decorators.push(ApiResponse({ status: Number(status), description }));
  for (const status of [401, 403, 503, ...(route.errors ?? [])])
    decorators.push(ApiResponse({ status, description: ERRORS[status] ?? String(status) }));
  return applyDecorators(...decorators.reverse());
}
