import { describe, expect, it } from 'vitest';
import { comparable, draftKey, type LocalCopy, parseLocalCopy, restoreDecision, retryDelay } from './autosave-rules.js';

const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const doc = (...content: unknown[]) => ({ type: 'doc', content });

const copy = (overrides: Partial<LocalCopy> = {}): LocalCopy => ({
  version: 4,
  fields: { headline: 'Ferry aground' },
  body_doc: doc(para('Typed before the crash.')),
  savedAt: 1_700_000_000_000,
  pending: true,
  ...overrides,
});
const page = {
  savedVersion: 4,
  updatedAt: 1_600_000_000_000,
  fields: { headline: 'Ferry aground' },
  body_doc: doc(para('Saved text.')),
};

describe('restoreDecision', () => {
  it('offers a copy with changes the server never acknowledged (a crash, a closed tab)', () => {
    expect(restoreDecision(copy(), page)).toBe('offer');
  });

  it('offers it even when someone saved the article since (restoring then meets the version check)', () => {
    expect(restoreDecision(copy(), { ...page, savedVersion: 6 })).toBe('offer');
  });

  it('discards a copy the page already shows, ignoring empty paragraphs the server drops', () => {
    const same = copy({ body_doc: doc(para('Saved text.'), { type: 'paragraph' }) });
    expect(restoreDecision(same, page)).toBe('discard');
  });

  it('discards a copy whose every change the server acknowledged', () => {
    expect(restoreDecision(copy({ pending: false }), page)).toBe('discard');
  });

  it('discards a submitted copy once the page shows a later version saved after it (the server accepted it)', () => {
    const acceptedAt = copy().savedAt + 500;
    expect(restoreDecision(copy({ submitted: true }), { ...page, savedVersion: 5, updatedAt: acceptedAt })).toBe(
      'discard',
    );
    expect(restoreDecision(copy({ submitted: true }), { ...page, savedVersion: 5, updatedAt: null })).toBe('discard');
    expect(restoreDecision(copy({ submitted: true }), { ...page, updatedAt: acceptedAt })).toBe('offer');
  });

  it('offers a submitted copy when the later version was saved before it: someone else’s, the submit met a 409', () => {
    expect(restoreDecision(copy({ submitted: true }), { ...page, savedVersion: 5 })).toBe('offer');
  });

  it('compares fields too, a missing field counting as empty', () => {
    const fields = copy({ body_doc: page.body_doc, fields: { headline: 'Ferry aground', tags: ['Ferries'] } });
    expect(restoreDecision(fields, page)).toBe('offer');
    expect(restoreDecision(copy({ body_doc: page.body_doc, fields: { headline: 'Ferry aground', x: '' } }), page)).toBe(
      'discard',
    );
  });
});

describe('comparable', () => {
  it('drops empty paragraphs and crossheads at any depth', () => {
    expect(comparable(doc(para('a'), { type: 'heading' }, { type: 'paragraph', content: [] }))).toBe(
      comparable(doc(para('a'))),
    );
  });
});

describe('parseLocalCopy', () => {
  it('reads back what was written, and ignores anything else', () => {
    expect(parseLocalCopy(JSON.stringify(copy()))).toStrictEqual(copy());
    expect(parseLocalCopy(null)).toBeUndefined();
    expect(parseLocalCopy('not json')).toBeUndefined();
    expect(parseLocalCopy('{"savedAt":"yesterday"}')).toBeUndefined();
  });
});

describe('retryDelay and draftKey', () => {
  it('backs off from 2 s, doubling, to a minute at most', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('keys a copy by article id, or "new"', () => {
    expect(draftKey('12')).toBe('dateline:draft:12');
    expect(draftKey(undefined)).toBe('dateline:draft:new');
    expect(draftKey('')).toBe('dateline:draft:new');
  });
});
