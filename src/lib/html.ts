/**
 * HTML templating by tagged template literals. Every interpolated value is
 * escaped unless it is a `SafeHtml` (made by `html` itself or by `raw`), so
 * forgetting to escape is impossible by default.
 *
 * @example
 *   const name = '<script>';
 *   html`<p>${name}</p>`.toString(); // '<p>&lt;script&gt;</p>'
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ESCAPE_RE = /[&<>"']/g;

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return ESCAPE_RE.test(text) ? text.replace(ESCAPE_RE, (c) => ESCAPES[c] as string) : text;
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value) out += render(v);
    return out;
  }
  return escapeHtml(String(value));
}

/** Builds escaped HTML. Arrays are concatenated; null, undefined and booleans render nothing. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) {
    out += render(values[i] as HtmlValue) + (strings[i + 1] as string);
  }
  return new SafeHtml(out);
}

/** Marks a string as already-safe HTML. Only for sanitized content. */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}
