/**
 * Languages: which way their text runs.
 *
 * @example
 *   textDirection('ar'); // 'rtl'
 *   textDirection('ru-RU'); // 'ltr'
 *   textDirection('az-Arab'); // 'rtl' (Azerbaijani written in Arabic script)
 */
export function textDirection(language: string): 'ltr' | 'rtl' {
  const [primary = '', ...subtags] = language.toLowerCase().split(/[-_]/);
  const script = subtags.find((s) => s.length === 4);
  if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

/** Languages whose usual script runs right to left (CLDR's likely scripts). */
const RTL_LANGUAGES = new Set([
  'ar',
  'arc',
  'ckb',
  'dv',
  'fa',
  'he',
  'iw',
  'ks',
  'ku',
  'ps',
  'sd',
  'syr',
  'ug',
  'ur',
  'yi',
]);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'rohg', 'mand', 'samr']);
