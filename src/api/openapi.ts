/**
 * The OpenAPI 3.1 description of the content API, built from the routes as
 * registered — the same zod schemas that validate their requests and
 * serialize their responses (`z.toJSONSchema`, JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is). Named schemas (`.meta({ id })`) become components.
 *
 * @example
 *   const routes: DescribedRoute[] = [];
 *   v1.addHook('onRoute', (r) => void routes.push(r));
 *   const doc = openApiDocument({ title: 'News', version: '1', serverUrl: 'https://news.example/api/v1', keyRequired: false }, routes);
 */
import { z } from 'zod';
import { errorSchema } from './api.schemas.js';

/** What `openApiDocument` reads of a registered route (a Fastify `RouteOptions`). */
export interface DescribedRoute {
  method: string | string[];
  url: string;
  schema?: {
    summary?: string;
    description?: string;
    params?: unknown;
    querystring?: unknown;
    response?: Record<string, unknown>;
    /** Error statuses the route may answer beyond 400 and 429 (404 for one article…). */
    errors?: number[];
  };
}

export interface OpenApiInfo {
  title: string;
  version: string;
  /** The API's base address: `SITE_URL/api/v1`. */
  serverUrl: string;
  /** CONTENT_API_KEY is set: every request needs it. */
  keyRequired: boolean;
  /** Mount point of the routes' URLs (`/api/v1`), cut from the paths. */
  prefix: string;
}

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad query (BAD_QUERY, BAD_CURSOR)',
  401: 'Missing or wrong content API key (API_KEY_INVALID)',
  404: 'Not found (ARTICLE_NOT_FOUND, SECTION_NOT_FOUND, TAG_NOT_FOUND, AUTHOR_NOT_FOUND, NOT_FOUND)',
  429: 'Too many requests (RATE_LIMITED); Retry-After says when to try again',
};

export function openApiDocument(info: OpenApiInfo, routes: readonly DescribedRoute[]): Json {
  const components: Record<string, unknown> = {};
  /** JSON Schema of a zod schema, its named parts moved to the components. */
  const convert = (schema: unknown, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema as z.ZodType, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
    const { $schema: _s, $defs, ...rest } = json;
    for (const [name, def] of Object.entries(($defs as Json | undefined) ?? {})) components[name] = relink(def);
    return relink(rest) as Json;
  };
  const errorRef = { $ref: '#/components/schemas/Error' };
  convert(errorSchema, 'output');

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const methods = [route.method].flat().filter((m) => m === 'GET');
    if (methods.length === 0 || !route.schema) continue;
    const s = route.schema;
    const path = route.url.slice(info.prefix.length).replace(/:([A-Za-z_]+)/g, '{$1}') || '/';
    const parameters = [
      ...parametersOf(s.params, 'path', convert),
      ...parametersOf(s.querystring, 'query', convert).filter((p) => p.name !== 'key'),
    ];
    const responses: Json = {};
    for (const [status, schema] of Object.entries(s.response ?? {})) {
      responses[status] = { description: 'OK', content: { 'application/json': { schema: convert(schema, 'output') } } };
    }
    for (const status of [400, ...(info.keyRequired ? [401] : []), ...(s.errors ?? []), 429]) {
      responses[String(status)] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    }
    paths[path] = {
      ...paths[path],
      get: {
        ...(s.summary ? { summary: s.summary } : {}),
        ...(s.description ? { description: s.description } : {}),
        operationId: operationId(path),
        ...(parameters.length ? { parameters } : {}),
        responses,
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The content API key (CONTENT_API_KEY)' },
        queryKey: { type: 'apiKey', in: 'query', name: 'key', description: 'The same key, in the query' },
      },
    },
    // Without a key the API is open: the empty requirement says so.
    security: info.keyRequired ? [{ bearer: [] }, { queryKey: [] }] : [{}],
  };
}

function parametersOf(schema: unknown, where: 'path' | 'query', convert: (s: unknown, io: 'input') => Json) {
  if (!schema) return [];
  const json = convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** `#/$defs/Article` → `#/components/schemas/Article`, everywhere in a schema. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : relink(v),
    ]),
  );
}

/** `/articles/{id}/related` → `articles.id.related`: stable and unique per path. */
function operationId(path: string): string {
  return path.replace(/[{}]/g, '').split('/').filter(Boolean).join('.') || 'root';
}
