/**
 * The geocoder's answers, kept for good (a city's coordinates do not change):
 * places by the geocoder's id, and which places each typed name found, in
 * order (an empty list for a name that found none).
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const ts = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('weather_places')
      // The geocoder's own id (GeoNames), not one of ours.
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('latitude', 'double precision', (c) => c.notNull())
      .addColumn('longitude', 'double precision', (c) => c.notNull())
      .addColumn('admin1', 'text')
      .addColumn('country', 'text')
      .addColumn('country_code', 'text')
      .addColumn('timezone', 'text')
      .addColumn('population', 'integer')
      .execute();
    await db.schema
      .createTable('weather_searches')
      // Normalised as typed (trimmed, lower case) and the language asked in.
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      // JSON array of weather_places ids, best match first.
      .addColumn('place_ids', 'text', (c) => c.notNull())
      .addColumn('searched_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('weather_searches_pk', ['query', 'language'])
      .execute();
  };
}
