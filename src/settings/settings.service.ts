/**
 * The site's settings, read from memory by every page and changed by an
 * admin without a restart. A change is written, then every instance is told
 * (the invalidation bus: `settings`, and every page, since the name and the
 * time zone show on all of them) and reads the settings again. Listeners
 * (the weather's default city) hear each change.
 *
 * @example
 *   const settings = await createSettingsService({ database, config, invalidator });
 *   settings.current().siteName; // from memory
 *   await settings.update({ siteName: 'The Harbour Times' }, { by: admin.id });
 */
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import { EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import { AppError } from '../lib/errors.js';
import { mergeSettings, type SettingKey, type SiteSettings, settingsFromConfig, settingsProblems } from './settings.js';
import { readSettings, writeSettings } from './settings.repository.js';

/** The invalidation tag that makes every instance read the settings again. */
export const SETTINGS_TAG = 'settings';

export interface SettingsService {
  /** The settings now, from memory. */
  current(): SiteSettings;
  /** Saves a change (refused with INVALID_SETTINGS and every problem when one value is wrong). */
  update(change: Partial<Record<SettingKey, unknown>>, options?: { by?: number }): Promise<SiteSettings>;
  /** Called after each change is read, on this instance whoever made it. */
  onChange(listener: (settings: SiteSettings) => void): void;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export async function createSettingsService(deps: {
  database: Database;
  config: Config;
  invalidator: Invalidator;
  log: Logger;
}): Promise<SettingsService> {
  const base = settingsFromConfig(deps.config);
  let settings = mergeSettings(base, await readSettings(deps.database.db));
  const listeners: ((s: SiteSettings) => void)[] = [];

  async function reload(): Promise<void> {
    const next = mergeSettings(base, await readSettings(deps.database.db));
    if (JSON.stringify(next) === JSON.stringify(settings)) return;
    settings = next;
    for (const listener of listeners) listener(settings);
  }

  deps.invalidator.subscribe((tags) => {
    if (tags.includes(SETTINGS_TAG) || tags.includes(EVERYTHING))
      reload().catch((err: unknown) => deps.log.warn({ err }, 'could not read the settings again'));
  });

  return {
    current: () => settings,
    async update(change, options = {}) {
      const problems = settingsProblems(change);
      if (problems.length)
        throw new AppError('INVALID_SETTINGS', problems.map((p) => p.problem).join('; '), { problems });
      await writeSettings(deps.database.db, change, new Date(), options.by);
      await reload();
      deps.invalidator.invalidate([SETTINGS_TAG, EVERYTHING]);
      return settings;
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
