import { describe, expect, it } from 'vitest';
import { permalinkPath } from './old-permalink.js';

describe('permalinkPath', () => {
  it('keeps the path of any host, decoded, NFC and without trailing slashes or query', () => {
    expect(permalinkPath('https://old.example/2019/05/06/%D0%BC%D0%B8%D1%80/?utm_source=x')).toBe('/2019/05/06/мир');
    expect(permalinkPath('/2019/05/06/%d0%bc%d0%b8%d1%80')).toBe('/2019/05/06/мир');
    expect(permalinkPath('/cafe\u0301/')).toBe('/café');
  });

  it('keeps no address for the home page, a plain ?p= permalink or a malformed URL', () => {
    expect(permalinkPath('https://old.example/')).toBeUndefined();
    expect(permalinkPath('/?p=123')).toBeUndefined();
    expect(permalinkPath('http://[bad')).toBeUndefined();
  });

  it('leaves a malformed escape as written', () => {
    expect(permalinkPath('/100%25-sure/%E0%A4%A')).toBe('/100%25-sure/%E0%A4%A');
  });
});
