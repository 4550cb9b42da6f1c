/**
 * Zod schemas as Fastify route schemas, within the content API's scope: the
 * validator parses each request part (coercing `limit=10` to a number, giving
 * defaults) and refuses a bad one with 400 BAD_QUERY; the serializer parses
 * each response through its schema, so what the schema does not name never
 * goes out (and a response that breaks its schema is a bug: a 500 in the log,
 * never a silently wrong document).
 *
 * @example
 *   await app.register(async (v1) => {
 *     useZodSchemas(v1);
 *     v1.get('/things/:id', { schema: { params: z.object({ id: z.coerce.number() }), response: { 200: thing } } }, …);
 *   });
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifySchema {
    /** The OpenAPI operation's summary and description. */
    summary?: string;
    description?: string;
    /** Error statuses the route answers beyond 400, 401 and 429 (404 for one article…), for the description. */
    errors?: number[];
  }
}

export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => (data) => {
    const parsed = (schema as z.ZodType).safeParse(data ?? {});
    if (parsed.success) return { value: parsed.data };
    return { error: new AppError('BAD_QUERY', describe(parsed.error)) };
  });
  app.setSerializerCompiler(
    ({ schema }) =>
      (data) =>
        JSON.stringify((schema as z.ZodType).parse(data)),
  );
}

/** `limit: Too big: expected number to be <=100` — names and rules only, never the value sent. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
    .join('; ');
}
