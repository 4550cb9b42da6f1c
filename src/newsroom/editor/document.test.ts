import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../test/helpers.js';
import { type ArticleInput, type Block, toInput } from '../../articles/article.js';
import { AppError } from '../../lib/errors.js';
import { DOC_LIMITS } from './doc-schema.js';
import { blocksToDoc, docScriptJson, docToBlocks } from './document.js';
import { EVERY_BLOCK } from './fixtures/every-block.js';
import { importerInputs, storedForm } from './fixtures/importer-bodies.js';

const roundTrip = (blocks: Block[]): Block[] => docToBlocks(blocksToDoc(blocks));

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_DOCUMENT');
    expect((err as AppError).statusCode).toBe(422);
    return ((err as AppError).details as { problems: string[] }).problems;
  }
  throw new Error('the document was accepted');
}

const doc = (...content: unknown[]) => ({ type: 'doc', content });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string, ...marks: unknown[]) => ({ type: 'text', text: t, ...(marks.length ? { marks } : {}) });
const link = (href: string) => ({ type: 'link', attrs: { href } });

describe('round trip: load → save unchanged changes nothing', () => {
  it('gives back every block type and inline tag exactly', () => {
    expect(roundTrip(EVERY_BLOCK)).toStrictEqual(EVERY_BLOCK);
  });

  it('gives back every importer body as the save stores it (inline HTML through sanitizeInline)', () => {
    const inputs = importerInputs();
    expect(inputs.length).toBeGreaterThan(170);
    for (const input of inputs) expect(roundTrip(input.body)).toStrictEqual(storedForm(input.body));
  });

  it('reaches the stored form in one step: a second round trip changes nothing', () => {
    for (const input of importerInputs()) {
      const once = roundTrip(input.body);
      expect(roundTrip(once)).toStrictEqual(once);
    }
  });

  it('is a fixed point after one save for inline HTML that has two spellings of one thing', () => {
    const odd: Block[] = [
      { type: 'paragraph', html: '<b>a</b><b>b</b> <b><strong>c</strong></b> <b></b>d <p>e</p>' },
      { type: 'list', style: 'bulleted', items: ['<b><a href="/x">x</a></b>', '<i><b>y</b></i>'] },
    ];
    const once = roundTrip(odd);
    expect(once).toStrictEqual([
      // The sanitizer puts a space where it drops a block tag.
      { type: 'paragraph', html: '<b>ab</b> <b>c</b> d e' },
      // Marks that start and end together nest in one order: link, bold, italic, code, sub, sup.
      { type: 'list', style: 'bulleted', items: ['<a href="/x"><b>x</b></a>', '<b><i>y</i></b>'] },
    ]);
    expect(roundTrip(once)).toStrictEqual(once);
  });

  it('gives back an empty body as an empty body (the editor gets one empty paragraph)', () => {
    expect(blocksToDoc([])).toStrictEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(roundTrip([])).toStrictEqual([]);
  });
});

describe('docScriptJson', () => {
  it('writes JSON with no "<" at all, so nothing in a body can end the script element', () => {
    const doc = blocksToDoc([{ type: 'paragraph', html: '&lt;/script&gt;&lt;!-- <b>x</b>' }]);
    const json = docScriptJson(doc);
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toStrictEqual(doc);
  });
});

describe('round trip through the database', () => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('loads each saved article, saves the converted body back, and the stored body is unchanged', async () => {
    const record = { headline: 'Every block', section: { name: 'News' }, authors: [], tags: [], status: 'draft' };
    const inputs: ArticleInput[] = [...importerInputs(), { ...record, body: EVERY_BLOCK } as ArticleInput];
    const saved = await t.services.articles.saveMany(inputs);
    for (const { id } of saved) {
      const before = await t.services.articles.get(id);
      if (!before) throw new Error(`article ${id} is missing`);
      const body = docToBlocks(JSON.stringify(blocksToDoc(before.body)));
      expect(body).toStrictEqual(before.body);
      // Saving writes a new version only: saving the converted body must store the same blocks.
      if (id % 20 === 0 || id === saved.at(-1)?.id) {
        await t.services.articles.update(id, { ...toInput(before), body }, { expectedVersion: before.version });
        expect((await t.services.articles.get(id))?.body).toStrictEqual(before.body);
      }
    }
  });
});

describe('docToBlocks: what the browser editor sends', () => {
  it('reads a Tiptap document, ignoring the attributes Tiptap adds (link target, rel, class; list start)', () => {
    const fromTiptap = doc(
      para(
        text('Read '),
        text('this', {
          type: 'link',
          attrs: { href: 'https://example.org/', target: '_blank', rel: 'noopener', class: null },
        }),
        text(' now', { type: 'bold', attrs: { tag: null } }, { type: 'italic' }),
      ),
      {
        type: 'orderedList',
        attrs: { start: 3, type: null },
        content: [{ type: 'listItem', content: [para(text('x'))] }],
      },
      { type: 'paragraph', attrs: { textAlign: 'left' } },
    );
    expect(docToBlocks(fromTiptap)).toStrictEqual([
      { type: 'paragraph', html: 'Read <a href="https://example.org/">this</a><strong><em> now</em></strong>' },
      { type: 'list', style: 'numbered', items: ['x'] },
    ]);
  });

  it('accepts the document as JSON text (a form field) or as a parsed value', () => {
    const value = doc(para(text('Hi')));
    expect(docToBlocks(JSON.stringify(value))).toStrictEqual(docToBlocks(value));
  });

  it('cleans: empty blocks dropped, marks dropped from crossheads and quotes, line breaks kept as \\n', () => {
    const input = doc(
      { type: 'paragraph' },
      para(text('')),
      { type: 'heading', attrs: { level: 1 }, content: [text('Bold', { type: 'bold' }), text(' head')] },
      { type: 'heading', attrs: { level: 3 } },
      {
        type: 'quote',
        attrs: { attribution: null },
        content: [text('One', { type: 'italic' }), { type: 'hardBreak' }, text('two')],
      },
      { type: 'quote', attrs: { attribution: '' } },
      { type: 'bulletList', content: [] },
    );
    expect(docToBlocks(input)).toStrictEqual([
      { type: 'crosshead', text: 'Bold head' },
      { type: 'quote', text: 'One\ntwo' },
    ]);
  });

  it('flattens nested lists into their list, in reading order, and joins an item’s paragraphs with a line break', () => {
    const item = (...content: unknown[]) => ({ type: 'listItem', content });
    const nested = {
      type: 'bulletList',
      content: [
        item(para(text('one')), {
          type: 'orderedList',
          content: [item(para(text('one.a'))), item(para(text('one.b')))],
        }),
        item(para(text('two')), para(text('two, more'))),
        item({ type: 'bulletList', content: [item(para(text('three (nested only)')))] }),
      ],
    };
    expect(docToBlocks(doc(nested))).toStrictEqual([
      {
        type: 'list',
        style: 'bulleted',
        items: ['one', 'one.a', 'one.b', 'two<br />two, more', 'three (nested only)'],
      },
    ]);
  });

  it('keeps an empty alt text, and null attributes as absent', () => {
    const image = { type: 'image', attrs: { src: '/media/a.jpg', alt: null, caption: null, credit: '', width: 10 } };
    expect(docToBlocks(doc(image))).toStrictEqual([
      { type: 'image', src: '/media/a.jpg', alt: '', credit: '', width: 10 },
    ]);
  });
});

describe('docToBlocks: refused documents', () => {
  it.each([
    ['javascript:alert(1)'],
    [' JavaScript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['//evil.example/'],
    ['\\\\evil.example/'],
    ['vbscript:x'],
  ])('refuses a link to %j', (href) => {
    const problems = problemsOf(() => docToBlocks(doc(para(text('click', link(href))))));
    expect(problems).toEqual([expect.stringMatching(/^content\[0\]\.content\[0\]\.marks\[0\]\.attrs\.href: /)]);
  });

  it('lists each problem with its path: wrong types, unknown nodes and marks, bad sources', () => {
    const problems = problemsOf(() =>
      docToBlocks(
        doc(
          para({ type: 'text', text: 42 }),
          { type: 'video', attrs: { src: 'x' } },
          para(text('x', { type: 'blink' })),
          { type: 'image', attrs: { src: 'http://images.example/a.jpg', alt: 'a' } },
          { type: 'image', attrs: { src: 'data:image/png;base64,AAAA' } },
          { type: 'image', attrs: { src: '/media/../admin' } },
          { type: 'embed', attrs: { url: 'javascript:alert(1)' } },
          { type: 'heading', content: [{ type: 'image', attrs: { src: '/media/a.jpg' } }] },
          text('loose text at the top'),
        ),
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^content\[0\]\.content\[0\]\.text: /),
      'content[1].type: unknown block type "video"',
      'content[2].content[0].marks[0].type: unknown mark type "blink"',
      'content[3].attrs.src: must be a /media/ path or an https URL',
      'content[4].attrs.src: must be a /media/ path or an https URL',
      'content[5].attrs.src: must be a /media/ path or an https URL',
      'content[6].attrs.url: must be an http or https URL',
      'content[7].content[0].type: unknown inline node type "image"',
      'content[8].type: unknown block type "text"',
    ]);
  });

  it('refuses what is not a document at all', () => {
    expect(problemsOf(() => docToBlocks('not json'))).toEqual(['document: not JSON']);
    expect(problemsOf(() => docToBlocks(null))).toHaveLength(1);
    expect(problemsOf(() => docToBlocks([]))).toHaveLength(1);
    expect(problemsOf(() => docToBlocks({ type: 'doc' }))).toEqual([expect.stringMatching(/^content: /)]);
    expect(problemsOf(() => docToBlocks({ type: 'paragraph', content: [] }))).toEqual([
      expect.stringMatching(/^type: /),
    ]);
  });

  it('refuses 5 MB of junk, as text and as a value, without walking all of it', () => {
    const junk = 'x'.repeat(5_000_000);
    expect(problemsOf(() => docToBlocks(junk))).toEqual([expect.stringMatching(/longer than/)]);
    expect(problemsOf(() => docToBlocks(doc(para(text(junk)))))).toEqual([expect.stringMatching(/characters of text/)]);
    const many = { type: 'doc', content: Array.from({ length: DOC_LIMITS.values }, () => ({ type: 'paragraph' })) };
    expect(problemsOf(() => docToBlocks(many))).toEqual([expect.stringMatching(/more than 200000 values/)]);
  });

  it('refuses deep nesting before parsing it', () => {
    let node: unknown = para(text('deep'));
    for (let k = 0; k < 10_000; k++) node = { type: 'bulletList', content: [{ type: 'listItem', content: [node] }] };
    expect(problemsOf(() => docToBlocks(doc(node)))).toEqual([expect.stringMatching(/nested deeper than 40 levels/)]);
  });

  it('refuses text over the importer’s limits, and lists at most 20 problems', () => {
    const long = 'word '.repeat(5000);
    const problems = problemsOf(() =>
      docToBlocks(doc(...Array.from({ length: 30 }, () => ({ type: 'heading', content: [text(long)] })))),
    );
    expect(problems).toHaveLength(20);
    expect(problems[0]).toBe('content[0]: crosshead longer than 300 characters');
  });
});
