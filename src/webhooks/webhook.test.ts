import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newSecret, signatureHeader, urlProblem, verifySignature } from './webhook.js';

describe('webhook signatures', () => {
  const secret = newSecret();
  const body = '{"event":"article.published","article":{"id":7}}';
  const at = new Date('2026-01-02T03:04:05Z');

  it('signs timestamp.body with HMAC-SHA256, as a receiver checks it', () => {
    const header = signatureHeader(secret, body, at);
    expect(header).toMatch(/^t=1767323045,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, header, at)).toBe(true);
  });

  it('refuses another body, another secret, an old or future timestamp, and junk', () => {
    const header = signatureHeader(secret, body, at);
    expect(verifySignature(secret, `${body} `, header, at)).toBe(false);
    expect(verifySignature(newSecret(), body, header, at)).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() - 301_000))).toBe(false);
    // The timestamp is signed too: moving it breaks the signature.
    expect(verifySignature(secret, body, header.replace('t=1767323045', 't=1767323046'), at)).toBe(false);
    for (const junk of [undefined, '', 't=,v1=', 'v1=abc', `t=1767323045,v1=${'0'.repeat(63)}`, 't=x,v1=y'])
      expect(verifySignature(secret, body, junk, at)).toBe(false);
  });

  it('makes a different secret every time', () => {
    expect(newSecret()).not.toBe(newSecret());
    expect(newSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it('takes absolute http(s) addresses without credentials', () => {
    expect(urlProblem('https://hooks.example/in?x=1')).toBeUndefined();
    for (const bad of [
      'hooks.example/in',
      'ftp://hooks.example/',
      'javascript:alert(1)',
      'https://u:p@hooks.example/',
      `https://a.example/${'x'.repeat(2000)}`,
    ])
      expect(urlProblem(bad)).toBeDefined();
  });
});

describe('the README’s way to verify a delivery', () => {
  it('accepts what Dateline signs, and refuses a changed body', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const code = /```js\n(import \{ createHmac[\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const file = join(tmpdir(), `verify-${process.pid}-${Date.now()}.mjs`);
    writeFileSync(file, `${code}\nexport { verify };\n`);
    try {
      const { verify } = (await import(file)) as { verify: (s: string, b: string, h: string) => boolean };
      const secret = newSecret();
      const body = '{"event":"article.updated","article":{"id":3}}';
      const header = signatureHeader(secret, body, new Date());
      expect(verify(secret, body, header)).toBe(true);
      expect(verify(secret, body.replace('3', '4'), header)).toBe(false);
      expect(verify(newSecret(), body, header)).toBe(false);
      expect(verify(secret, body, signatureHeader(secret, body, new Date(Date.now() - 3_600_000)))).toBe(false);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
