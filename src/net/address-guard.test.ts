import { describe, expect, it } from 'vitest';
import { isPrivateAddress, refuseLiteral } from './address-guard.js';
import { HttpError } from './http-error.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.8',
    '172.16.4.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::2',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['151.101.1.69', '8.8.8.8', '2606:4700::6810:84e5', '::ffff:151.101.1.69'])('accepts %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('refuseLiteral', () => {
  const refused = (url: string, allowed: string[] = []) => {
    try {
      refuseLiteral(new URL(url), new Set(allowed));
      return undefined;
    } catch (err) {
      return err instanceof HttpError ? err.code : err;
    }
  };

  it('refuses literal private addresses, IPv6 in brackets too, unless allowed', () => {
    expect(refused('http://10.0.0.1/')).toBe('HTTP_BLOCKED_ADDRESS');
    expect(refused('http://[::1]:8080/')).toBe('HTTP_BLOCKED_ADDRESS');
    expect(refused('http://[::ffff:7f00:1]/')).toBe('HTTP_BLOCKED_ADDRESS'); // 127.0.0.1, as WHATWG URLs write it
    expect(refused('http://10.0.0.1/', ['10.0.0.1'])).toBeUndefined();
    expect(refused('http://[::1]:8080/', ['::1'])).toBeUndefined();
  });

  it('leaves public addresses and names alone (names are judged when resolved)', () => {
    expect(refused('https://151.101.1.69/')).toBeUndefined();
    expect(refused('http://localhost/')).toBeUndefined();
  });
});
