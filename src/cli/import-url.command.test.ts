import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../test/helpers.js';
import { findArticleById } from '../articles/article.repository.js';
import { recordedSite } from '../extract/fixtures/recorded-site.js';
import { collector } from './fixtures/terminal.js';
import { importUrlCommand } from './import-url.command.js';

describe('dateline import-url', () => {
  let t: TestServices;
  const agent = recordedSite();
  beforeAll(async () => {
    t = await createTestServices({}, undefined, { httpDispatcher: agent });
  });
  afterAll(async () => {
    await t.cleanup();
    await agent.close();
  });
  // The command closes what it opens; these tests keep the services for the next one.
  const open = async () => ({ urlImport: t.services.urlImport, close: async () => {} });

  it('imports the page as a draft in the section, then updates it when run again', async () => {
    const out = collector();
    const err = collector();
    const args = ['https://news.example/world/talks', '--section', 'World'];
    expect(await importUrlCommand(args, open, { stdout: out, stderr: err })).toBe(0);
    expect(out.text()).toMatch(/^created #(\d+) \(draft\): US And Russia Urge Peaceful Solution To Ukraine Crisis\n$/);
    const id = Number(/#(\d+)/.exec(out.text())?.[1]);
    expect(await findArticleById(t.services.database.db, id)).toMatchObject({
      section: { name: 'World' },
      status: 'draft',
    });
    const again = collector();
    expect(await importUrlCommand([...args, '--mode', 'publish'], open, { stdout: again, stderr: err })).toBe(0);
    expect(again.text()).toBe(`updated #${id} (published): US And Russia Urge Peaceful Solution To Ukraine Crisis\n`);
  });

  it('exits 1 with the stable code when the page cannot be imported, 2 on bad usage', async () => {
    const err = collector();
    expect(await importUrlCommand(['https://news.example/pdf'], open, { stdout: collector(), stderr: err })).toBe(1);
    expect(err.text()).toMatch(/URL_NOT_HTML/);
    for (const args of [[], ['a', 'b'], ['https://x.example', '--mode', 'later'], ['https://x.example', '--nope']]) {
      const usage = collector();
      expect(await importUrlCommand(args, open, { stdout: collector(), stderr: usage })).toBe(2);
      expect(usage.text()).toMatch(/^Usage: dateline import-url URL/);
    }
    expect(await importUrlCommand(['file:///etc/passwd'], open, { stdout: collector(), stderr: collector() })).toBe(2);
  });
});
