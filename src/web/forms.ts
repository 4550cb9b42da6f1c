/**
 * HTML forms post `application/x-www-form-urlencoded`: parsed into a plain
 * object (the first value of each name), at most 4 KB. Registered per face,
 * on the faces that have forms. NUL characters are dropped: no text field
 * means one, and PostgreSQL cannot store them.
 *
 * @example
 *   registerFormParser(reader);
 *   reader.post('/weather/city', { schema: { body: … } }, async (request) => request.body);
 */
import type { FastifyInstance } from 'fastify';

export function registerFormParser(app: FastifyInstance, bodyLimit = 4096): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const out: Record<string, string> = {};
      for (const [name, value] of new URLSearchParams(body as string))
        if (!(name in out)) out[name] = value.includes('\0') ? value.replaceAll('\0', '') : value;
      done(null, out);
    },
  );
}
