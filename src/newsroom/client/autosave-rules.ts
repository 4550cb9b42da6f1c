/**
 * Autosave's decisions, kept pure so they are tested without a browser:
 * what the local copy holds, whether one found on load is offered back, and
 * how long to wait before trying the server again.
 */

/** A form's fields by name: one value as a string, a repeated name (tags) as an array, as a form POST parses. */
export type Fields = Record<string, string | string[]>;

/** The copy kept in `localStorage` under `dateline:draft:<article id or "new">`. */
export interface LocalCopy {
  /** The article version these edits are based on (null for a new article). */
  version: number | null;
  fields: Fields;
  body_doc: unknown;
  /** When the copy was written (ms since the epoch, this browser's clock). */
  savedAt: number;
  /** True while the copy holds changes the server has not acknowledged. */
  pending: boolean;
  /** True once the form was submitted with this content (the server's answer is not known yet). */
  submitted?: boolean;
}

/** What the page says about the article as the server has it. */
export interface PageState {
  /** `data-saved-version` (or the `version` field): null for a new article. */
  savedVersion: number | null;
  /** `data-updated-at` (ms since the epoch): when the server last saved the article; null if unknown. */
  updatedAt: number | null;
  fields: Fields;
  body_doc: unknown;
}

/**
 * Key of an article's local copy.
 *
 * @example
 *   draftKey('12'); // 'dateline:draft:12'
 *   draftKey(undefined); // 'dateline:draft:new'
 */
export const draftKey = (articleId: string | undefined): string => `dateline:draft:${articleId || 'new'}`;

/**
 * A document as the server will store it, for comparing: empty paragraphs
 * and crossheads (which the server drops) removed.
 *
 * @example
 *   comparable(docWithTrailingEmptyParagraph) === comparable(sameDocWithout); // true
 */
export function comparable(doc: unknown): string {
  return JSON.stringify(doc, (_key, value: unknown) => {
    if (!Array.isArray(value)) return value;
    return value.filter((n) => {
      const node = n as { type?: unknown; content?: unknown[] } | null;
      const emptyText = node?.type === 'paragraph' || node?.type === 'heading';
      return !(emptyText && (node.content ?? []).length === 0);
    });
  });
}

const sameFields = (a: Fields, b: Fields): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify(a[k] ?? '') === JSON.stringify(b[k] ?? ''));
};

/**
 * Whether a local copy found on load is offered back (`offer`) or removed
 * (`discard`). It is removed when the page already holds the same content,
 * when its submit was accepted (the page shows a later version than the
 * copy was based on, saved after the copy was written — a later version
 * saved before it is someone else's, and the submit met a conflict), or
 * when the server acknowledged every change in it.
 * Otherwise it holds work the server may not have — a crash, a closed tab,
 * a lost connection — and the editor is asked.
 *
 * @example
 *   restoreDecision({ version: 4, fields: {}, body_doc: docA, savedAt: 2, pending: true },
 *     { savedVersion: 4, updatedAt: 1, fields: {}, body_doc: docB }); // 'offer'
 */
export function restoreDecision(local: LocalCopy, page: PageState): 'offer' | 'discard' {
  if (sameFields(local.fields, page.fields) && comparable(local.body_doc) === comparable(page.body_doc))
    return 'discard';
  const accepted =
    local.submitted === true &&
    local.version !== null &&
    page.savedVersion !== null &&
    page.savedVersion > local.version &&
    (page.updatedAt === null || page.updatedAt >= local.savedAt);
  if (accepted || !local.pending) return 'discard';
  return 'offer';
}

/**
 * Milliseconds before retry `attempt` (1, 2, …): 2 s, doubling, at most a minute.
 *
 * @example
 *   retryDelay(1); // 2000
 *   retryDelay(3); // 8000
 */
export function retryDelay(attempt: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempt - 1), 60_000);
}

/**
 * Reads a local copy, or undefined when there is none or it is not one of ours.
 *
 * @example
 *   parseLocalCopy(localStorage.getItem(draftKey('12')));
 */
export function parseLocalCopy(text: string | null): LocalCopy | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LocalCopy>;
    if (typeof value !== 'object' || value === null || typeof value.savedAt !== 'number') return undefined;
    if (typeof value.fields !== 'object' || value.fields === null || value.body_doc === undefined) return undefined;
    return {
      version: typeof value.version === 'number' ? value.version : null,
      fields: value.fields,
      body_doc: value.body_doc,
      savedAt: value.savedAt,
      pending: value.pending !== false,
      ...(value.submitted ? { submitted: true } : {}),
    };
  } catch {
    return undefined;
  }
}
