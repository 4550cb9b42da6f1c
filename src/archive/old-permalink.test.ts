import { describe, expect, it } from 'vitest';
import { permalinkPath } from './old-permalink.js';

describe('permalinkPath', () => {
  it('keeps the path of any host, decoded, NFC and without trailing slashes or query', () => {
    expect(permalinkPath('https://old.example/2019/05/06/%D0%BC%D0%B8%D1%80/?utm_source=x')).toBe('/2019/05/06/мир');
    expect(permalinkPath('/2019/05/06/%d0%bc%d0%b8%d1%80')).toBe('/2019/05/06/мир');
    expect(permalinkPath('/cafe\u0301/')).toBe('/café');
  });

  it("keeps WordPress's plain permalinks by their number alone", () => {
    expect(permalinkPath('https://old.example/?p=123')).toBe('/?p=123');
    expect(permalinkPath('/?utm_source=x&p=123&replytocom=4')).toBe('/?p=123');
    expect(permalinkPath('/?page_id=7')).toBe('/?page_id=7');
  });

  it('keeps no address for the home page, a plain permalink without a number, or a malformed URL', () => {
    expect(permalinkPath('https://old.example/')).toBeUndefined();
    expect(permalinkPath('/?utm_source=x')).toBeUndefined();
    expect(permalinkPath('/?p=abc')).toBeUndefined();
    expect(permalinkPath('/?p=0')).toBeUndefined();
    expect(permalinkPath('http://[bad')).toBeUndefined();
  });

  it('leaves a malformed escape as written', () => {
    expect(permalinkPath('/100%25-sure/%E0%A4%A')).toBe('/100%25-sure/%E0%A4%A');
  });
});
