import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import { findPlace, findSearch, saveSearch } from './places.repository.js';
import type { Place } from './weather.js';

const PARIS: Place = {
  id: 2988507,
  name: 'Paris',
  latitude: 48.85341,
  longitude: 2.3488,
  admin1: 'Île-de-France',
  country: 'France',
  countryCode: 'FR',
  timezone: 'Europe/Paris',
  population: 2138551,
};
const PARIS_TX: Place = { id: 4717560, name: 'Paris', latitude: 33.66094, longitude: -95.55551, admin1: 'Texas' };

describeTargets('places repository on $dialect', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
  });
  afterAll(() => t.cleanup());

  it('knows nothing of a name never searched', async () => {
    expect(await findSearch(t.database.db, 'atlantis', 'en')).toBeUndefined();
    expect(await findPlace(t.database.db, 1)).toBeUndefined();
  });

  it('keeps a search with its places in order, coordinates exact', async () => {
    await saveSearch(t.database.db, 'paris', 'en', [PARIS_TX, PARIS], new Date('2024-01-01T00:00:00Z'));
    expect(await findSearch(t.database.db, 'paris', 'en')).toEqual([PARIS_TX, PARIS]);
    expect(await findPlace(t.database.db, 2988507)).toEqual(PARIS);
    // Another language is another search.
    expect(await findSearch(t.database.db, 'paris', 'fr')).toBeUndefined();
  });

  it('remembers that a name found nothing', async () => {
    await saveSearch(t.database.db, 'xyzzyville', 'en', [], new Date());
    expect(await findSearch(t.database.db, 'xyzzyville', 'en')).toEqual([]);
  });

  it('updates a place and a search when saved again', async () => {
    await saveSearch(t.database.db, 'paris', 'en', [{ ...PARIS, population: 2100000 }], new Date());
    expect(await findSearch(t.database.db, 'paris', 'en')).toEqual([{ ...PARIS, population: 2100000 }]);
    expect((await findPlace(t.database.db, 4717560))?.admin1).toBe('Texas');
  });

  it('leaves out places without a geocoder id', async () => {
    await saveSearch(t.database.db, 'somewhere', 'en', [{ name: 'Somewhere', latitude: 1, longitude: 2 }], new Date());
    expect(await findSearch(t.database.db, 'somewhere', 'en')).toEqual([]);
  });
});
