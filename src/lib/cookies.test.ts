import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';

describe('parseCookies', () => {
  it('reads names and values, decoding percent-encoding and quotes', () => {
    expect(parseCookies('a=1; weather_place=2988507;b="quoted"; c=caf%C3%A9')).toEqual({
      a: '1',
      weather_place: '2988507',
      b: 'quoted',
      c: 'café',
    });
  });

  it('keeps the first of repeated names and skips malformed parts', () => {
    expect(parseCookies('x=1; x=2; novalue; =nothing; y=%E0%A4%A')).toEqual({ x: '1', y: '%E0%A4%A' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

describe('serializeCookie', () => {
  it('writes a SameSite=Lax cookie for the whole site', () => {
    expect(serializeCookie('weather_place', '2988507', { maxAge: 31536000 })).toBe(
      'weather_place=2988507; Path=/; Max-Age=31536000; SameSite=Lax',
    );
  });

  it('adds Secure and HttpOnly when asked, encodes the value, and deletes with Max-Age=0', () => {
    expect(serializeCookie('n', 'a b;c', { maxAge: 0, secure: true, httpOnly: true })).toBe(
      'n=a%20b%3Bc; Path=/; Max-Age=0; SameSite=Lax; Secure; HttpOnly',
    );
  });

  it('refuses a name that would break the header', () => {
    expect(() => serializeCookie('bad name', 'x', { maxAge: 1 })).toThrow(TypeError);
  });
});
