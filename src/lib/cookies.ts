/**
 * Reading a Cookie header and writing Set-Cookie values, for the few public
 * preferences the reader site keeps (the weather city and units).
 *
 * @example
 *   parseCookies('a=1; weather_place=2988507'); // { a: '1', weather_place: '2988507' }
 *   serializeCookie('weather_units', 'fahrenheit', { maxAge: 31536000, secure: true });
 *   // 'weather_units=fahrenheit; Path=/; Max-Age=31536000; SameSite=Lax; Secure'
 */

/** Cookie names and values as sent; a value that is not valid percent-encoding is kept as it is. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure?: boolean;
  httpOnly?: boolean;
  path?: string;
  /** Lax by default: a form on another site cannot send the cookie with a POST. Strict: not even a link can. */
  sameSite?: 'Lax' | 'Strict';
}

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A Set-Cookie value; SameSite=Lax unless Strict is asked for, so a form on another site cannot send it with a POST. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!NAME.test(name)) throw new TypeError(`invalid cookie name ${name}`);
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAge))}`,
    `SameSite=${options.sameSite ?? 'Lax'}`,
  ];
  if (options.secure) parts.push('Secure');
  if (options.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}
