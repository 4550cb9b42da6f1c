import { describe, expect, it } from 'vitest';
import { declaredCharset, decodeText, headerCharset } from './charset.js';

/*
 * Encoded text, as bytes produced by Python's own codec tables (not Node's
 * ICU, which does the decoding here), e.g.
 * `'Новости'.encode('cp1251').hex(' ')`.
 */
const NOVOSTI_1251 = 'cd ee e2 ee f1 f2 e8'; // 'Новости' in windows-1251
const NOVOSTI_DNYA_1251 = 'cd ee e2 ee f1 f2 e8 20 e4 ed ff'; // 'Новости дня'
const PRIVET_KOI8R = 'f0 d2 c9 d7 c5 d4'; // 'Привет' in KOI8-R
const NIHONGO_SJIS = '93 fa 96 7b 8c ea'; // '日本語' in Shift_JIS
const XINWEN_GBK = 'd0 c2 ce c5'; // '新闻' in GBK
const ZURICH_LATIN1 = '5a fc 72 69 63 68'; // 'Zürich' in ISO-8859-1
const OLCU_UTF16LE = 'd6 00 6c 00 e7 00 fc 00'; // 'Ölçü' in UTF-16LE

const hex = (bytes: string) => Buffer.from(bytes.replace(/ /g, ''), 'hex');
/** A document: ASCII markup around encoded bytes. */
const doc = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));

describe('decodeText', () => {
  it('decodes by the Content-Type charset: Cyrillic windows-1251', () => {
    const decoded = decodeText(hex(NOVOSTI_DNYA_1251), 'text/plain; charset=windows-1251');
    expect(decoded).toEqual({ text: 'Новости дня', charset: 'windows-1251' });
  });

  it.each([
    ['application/rss+xml'],
    ['text/xml'],
    ['application/xml'],
    ['text/plain'], // servers often send feeds as text/plain
    [undefined],
  ])('reads an XML declaration when %s says no charset', (type) => {
    const feed = doc(
      '<?xml version="1.0" encoding="windows-1251"?>\n<rss><channel><title>',
      hex(NOVOSTI_1251),
      '</title></channel></rss>',
    );
    const decoded = decodeText(feed, type);
    expect(decoded.charset).toBe('windows-1251');
    expect(decoded.text).toContain('<title>Новости</title>');
  });

  it('reads <meta charset> and <meta http-equiv> in HTML', () => {
    const koi = doc('<!doctype html><html><head><meta charset="KOI8-R"><title>', hex(PRIVET_KOI8R), '</title>');
    expect(decodeText(koi, 'text/html')).toMatchObject({ charset: 'koi8-r' });
    expect(decodeText(koi, 'text/html').text).toContain('<title>Привет</title>');

    const sjis = doc(
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">\n<title>',
      hex(NIHONGO_SJIS),
      '</title>',
    );
    expect(decodeText(sjis, 'text/html').text).toContain('<title>日本語</title>');

    const gbk = doc(
      "<html><head><meta content='text/html; charset=gbk' http-equiv='content-type'><p>",
      hex(XINWEN_GBK),
    );
    expect(decodeText(gbk, 'text/html; foo=bar').text).toContain('<p>新闻');
  });

  it('lets the Content-Type charset win over the document', () => {
    const page = doc('<html><head><meta charset="utf-8"><title>', hex(NOVOSTI_1251), '</title>');
    expect(decodeText(page, 'text/html; charset=windows-1251').text).toContain('Новости');
  });

  it('lets a byte order mark win over everything', () => {
    const utf8 = Buffer.concat([hex('ef bb bf'), Buffer.from('Новости')]);
    expect(decodeText(utf8, 'text/plain; charset=windows-1251')).toEqual({ text: 'Новости', charset: 'utf-8' });
    const utf16 = Buffer.concat([hex('ff fe'), hex(OLCU_UTF16LE)]);
    expect(decodeText(utf16, 'text/plain')).toEqual({ text: 'Ölçü', charset: 'utf-16le' });
  });

  it('maps ISO-8859-1 to windows-1252 as browsers do', () => {
    expect(decodeText(hex(ZURICH_LATIN1), 'text/plain; charset=ISO-8859-1')).toEqual({
      text: 'Zürich',
      charset: 'windows-1252',
    });
  });

  it('falls back to UTF-8 for unknown labels, without throwing', () => {
    const bytes = Buffer.from('Grüße, Новости');
    expect(decodeText(bytes, 'text/plain; charset=no-such-charset')).toEqual({
      text: 'Grüße, Новости',
      charset: 'utf-8',
    });
    const page = doc('<meta charset="x-klingon"><p>', Buffer.from('Grüße'));
    expect(decodeText(page, 'text/html')).toEqual({ text: '<meta charset="x-klingon"><p>Grüße', charset: 'utf-8' });
  });

  it('decodes as UTF-8 when nothing is said, invalid bytes becoming U+FFFD', () => {
    expect(decodeText(Buffer.from('{"name":"Zürich"}'), 'application/json')).toEqual({
      text: '{"name":"Zürich"}',
      charset: 'utf-8',
    });
    expect(decodeText(hex(ZURICH_LATIN1), undefined).text).toBe('Z\ufffdrich');
  });

  it('does not look for declarations in bodies that are not markup', () => {
    const json = doc('<meta charset="koi8-r">', hex(PRIVET_KOI8R));
    expect(decodeText(json, 'application/json').charset).toBe('utf-8');
    const prose = doc('Write <meta charset="koi8-r"> for ', hex(PRIVET_KOI8R));
    expect(decodeText(prose, 'text/plain').charset).toBe('utf-8');
  });

  it('reads a document declaring UTF-16 without a BOM as UTF-8 (its declaration was ASCII)', () => {
    const page = doc('<meta charset="utf-16"><p>', Buffer.from('Grüße'));
    expect(decodeText(page, 'text/html')).toMatchObject({ charset: 'utf-8', text: '<meta charset="utf-16"><p>Grüße' });
  });
});

describe('declaredCharset', () => {
  it('looks only at the first 1024 bytes, and not inside comments', () => {
    expect(declaredCharset(doc('<html>', ' '.repeat(1024), '<meta charset="koi8-r">'))).toBeUndefined();
    expect(declaredCharset(doc('<html>', ' '.repeat(900), '<meta charset="koi8-r">'))).toBe('koi8-r');
    expect(declaredCharset(doc('<!-- <meta charset="gbk"> --><meta charset="koi8-r">'))).toBe('koi8-r');
  });

  it("takes an XML declaration's encoding in either quotes, and the first meta with a charset", () => {
    expect(declaredCharset(doc("<?xml version='1.0' encoding='ISO-8859-5' standalone='yes'?><a/>"))).toBe('ISO-8859-5');
    expect(declaredCharset(doc('<?xml version="1.0"?><rss/>'))).toBeUndefined();
    expect(
      declaredCharset(doc('<meta name="viewport" content="width=device-width"><meta charset=gbk><meta charset=big5>')),
    ).toBe('gbk');
  });
});

describe('headerCharset', () => {
  it.each([
    ['text/html; charset=windows-1251', 'windows-1251'],
    ['text/html;charset="UTF-8"', 'UTF-8'],
    ['application/xml; Charset=koi8-r; foo=bar', 'koi8-r'],
    ['text/html', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (header, expected) => {
    expect(headerCharset(header)).toBe(expected);
  });
});
