/**
 * The geocoder's answers, kept in the database: a city's coordinates do not
 * change, so each typed name is asked upstream once per language.
 *
 * @example
 *   await saveSearch(db, 'paris', 'en', places, new Date());
 *   await findSearch(db, 'paris', 'en'); // the same places, in the same order
 *   await findPlace(db, 2988507); // Paris, Île-de-France, France
 */
import type { Kysely, Selectable } from 'kysely';
import type { Schema, WeatherPlacesTable } from '../db/schema.js';
import type { Place } from './weather.js';

type Db = Kysely<Schema>;

function toPlace(row: Selectable<WeatherPlacesTable>): Place {
  return {
    id: row.id,
    name: row.name,
    latitude: row.latitude,
    longitude: row.longitude,
    ...(row.admin1 ? { admin1: row.admin1 } : {}),
    ...(row.country ? { country: row.country } : {}),
    ...(row.country_code ? { countryCode: row.country_code } : {}),
    ...(row.timezone ? { timezone: row.timezone } : {}),
    ...(row.population !== null ? { population: row.population } : {}),
  };
}

export async function findPlace(db: Db, id: number): Promise<Place | undefined> {
  const row = await db.selectFrom('weather_places').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPlace(row);
}

/** The places a search found, best first; undefined when this name was never searched. */
export async function findSearch(db: Db, query: string, language: string): Promise<Place[] | undefined> {
  const search = await db
    .selectFrom('weather_searches')
    .select('place_ids')
    .where('query', '=', query)
    .where('language', '=', language)
    .executeTakeFirst();
  if (!search) return undefined;
  const ids = JSON.parse(search.place_ids) as number[];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('weather_places').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toPlace(r)]));
  return ids.map((id) => byId.get(id)).filter((p): p is Place => p !== undefined);
}

/** Stores a search's answer and its places (places with no id cannot be stored and are left out). */
export async function saveSearch(
  db: Db,
  query: string,
  language: string,
  places: Place[],
  searchedAt: Date,
): Promise<void> {
  const stored = places.filter((p): p is Place & { id: number } => p.id !== undefined);
  await db.transaction().execute(async (trx) => {
    for (const p of stored) {
      const values = {
        name: p.name,
        latitude: p.latitude,
        longitude: p.longitude,
        admin1: p.admin1 ?? null,
        country: p.country ?? null,
        country_code: p.countryCode ?? null,
        timezone: p.timezone ?? null,
        population: p.population ?? null,
      };
      await trx
        .insertInto('weather_places')
        .values({ id: p.id, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    }
    const placeIds = JSON.stringify(stored.map((p) => p.id));
    await trx
      .insertInto('weather_searches')
      .values({ query, language, place_ids: placeIds, searched_at: searchedAt.toISOString() })
      .onConflict((oc) =>
        oc.columns(['query', 'language']).doUpdateSet({ place_ids: placeIds, searched_at: searchedAt.toISOString() }),
      )
      .execute();
  });
}
