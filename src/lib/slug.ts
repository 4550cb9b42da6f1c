import transliterate from '@sindresorhus/transliterate';

/**
 * URL slugs: lowercase ASCII words joined by hyphens. Other scripts are
 * transliterated (Cyrillic, Greek, Arabic…); what has no Latin spelling
 * (Chinese, Hebrew, emoji) leaves nothing, and `slugFor` gives it an id.
 *
 * @example
 *   slugify('Côte d’Ivoire: “Elections” 2019'); // 'cote-divoire-elections-2019'
 *   slugify('Новости дня'); // 'novosti-dnya'
 */
export function slugify(text: string, maxLength = 80): string {
  // Apostrophes and ampersands first: transliteration would turn them into other punctuation. Accents on Latin
  // letters are dropped before it, as slugs always were (Zürich → zurich, not zuerich: a tag keeps its slug).
  const latin = text
    .replace(/['’‘`]/g, '')
    .replace(/&/g, ' and ')
    .normalize('NFKD')
    .replace(/([A-Za-z])[\u0300-\u036f]+/g, '$1')
    .normalize('NFC');
  const slug = transliterate(latin)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}

/**
 * A slug that is never empty for text that is not blank: the transliterated
 * words, or else a stable id made from the text itself (the same name always
 * gets the same slug, so a tag "今日" is found again on the next import).
 *
 * @example
 *   slugFor('Мир'); // 'mir'
 *   slugFor('今日新闻'); // 'u' and 12 letters or digits, always the same ones
 *   slugFor('  '); // ''
 */
export function slugFor(text: string, maxLength = 80): string {
  const slug = slugify(text, maxLength);
  if (slug || text.trim() === '') return slug;
  return `u${textId(text.trim().normalize('NFC'))}`;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * A slug given with the content (in an import file, by an API client) when it
 * is a well-formed one of at most `maxLength` characters; otherwise the slug
 * of `name`, so no given slug can break out of its URL (`"><x`, `../../media/x`).
 *
 * @example
 *   slugOrDerived('ivan', 'Иван Петров'); // 'ivan'
 *   slugOrDerived('../../media/x', 'Иван Петров'); // 'ivan-petrov'
 *   slugOrDerived(undefined, 'Мир'); // 'mir'
 */
export function slugOrDerived(given: string | undefined, name: string, maxLength = 80): string {
  const trimmed = given?.trim();
  if (trimmed && trimmed.length <= maxLength && SLUG.test(trimmed)) return trimmed;
  return slugFor(name, maxLength) || slugFor(trimmed ?? '', maxLength);
}

/** 64 bits of two FNV-1a hashes, in base 36: a short id that is the same on every run and machine. */
function textId(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return a.toString(36).padStart(7, '0') + b.toString(36).padStart(7, '0');
}

/** Title Case For Names Made From Slugs Or Labels. */
export function titleCase(text: string): string {
  return text
    .replace(/[_-]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length <= 2 && w === w.toUpperCase() ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}
