/**
 * Site settings an admin changes in the newsroom without a restart: the
 * site's name, description and logo, its time zone, and the weather widget's
 * default city and units. Each starts from the environment (SITE_NAME…) until
 * an admin sets it. Pure types and rules.
 *
 * @example
 *   const problems = settingsProblems({ timeZone: 'Mars/Olympus' }); // [{ key: 'timeZone', problem: '…' }]
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import { isTimeZone } from '../lib/time.js';

export interface SiteSettings {
  siteName: string;
  siteDescription: string;
  /** An uploaded image (`/media/…`) shown in the header instead of the name, with the name as its text. */
  logo?: string;
  timeZone: string;
  weatherCity: string;
  weatherUnits: 'celsius' | 'fahrenheit';
  /** What feeds carry of each article: its whole text, or its standfirst with a link. */
  feedContent: 'full' | 'summary';
}

export type SettingKey = keyof SiteSettings;

/** Each setting's rule: what an admin may enter. */
export const SETTING_SCHEMAS = {
  siteName: z.string().trim().min(1, 'give the site a name').max(100),
  siteDescription: z.string().trim().max(300),
  logo: z
    .string()
    .trim()
    .max(2000)
    .regex(/^(\/media\/[^\s"'<>]+)?$/, 'an uploaded image (/media/…) or nothing'),
  timeZone: z.string().trim().refine(isTimeZone, 'not a time zone (e.g. Europe/Kyiv, America/New_York)'),
  weatherCity: z.string().trim().min(2, 'name a city').max(100),
  weatherUnits: z.enum(['celsius', 'fahrenheit']),
  feedContent: z.enum(['full', 'summary']),
} satisfies Record<SettingKey, z.ZodType>;

export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];

/** The settings as the environment gives them, before any admin changes one. */
export function settingsFromConfig(config: Config): SiteSettings {
  return {
    siteName: config.siteName,
    siteDescription: config.siteDescription,
    timeZone: config.timeZone,
    weatherCity: config.weather.defaultCity,
    weatherUnits: config.weather.units,
    feedContent: 'full',
  };
}

export interface SettingProblem {
  key: SettingKey;
  problem: string;
}

/** What is wrong with a change, setting by setting (empty when it can be saved). */
export function settingsProblems(change: Partial<Record<SettingKey, unknown>>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const key of SETTING_KEYS) {
    if (!(key in change)) continue;
    const parsed = SETTING_SCHEMAS[key].safeParse(change[key]);
    if (!parsed.success) problems.push({ key, problem: parsed.error.issues[0]?.message ?? 'not valid' });
  }
  return problems;
}

/** Stored values over the environment's; a stored value that no longer passes its rule is ignored. */
export function mergeSettings(base: SiteSettings, stored: Partial<Record<string, unknown>>): SiteSettings {
  const out: Record<string, unknown> = { ...base };
  for (const key of SETTING_KEYS) {
    if (!(key in stored)) continue;
    const parsed = SETTING_SCHEMAS[key].safeParse(stored[key]);
    if (parsed.success) out[key] = parsed.data === '' && key === 'logo' ? undefined : parsed.data;
  }
  return out as unknown as SiteSettings;
}
