import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../test/helpers.js';
import { collector } from './fixtures/terminal.js';
import { importArchiveCommand } from './import-archive.command.js';

const fixture = (name: string) => fileURLToPath(new URL(`../archive/fixtures/${name}`, import.meta.url));

describe('dateline import-wordpress and import-ghost', () => {
  let t: TestServices;
  let dir: string;
  beforeAll(async () => {
    t = await createTestServices();
    dir = mkdtempSync(join(tmpdir(), 'dateline-archive-cli-'));
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  // The command closes what it opens; these tests keep the services for the next one.
  const open = async () => ({ ...t.services, close: async () => {} });

  it('imports a WordPress export, naming what it skipped, then updates on a second run', async () => {
    const out = collector();
    const err = collector();
    expect(
      await importArchiveCommand('wordpress', [fixture('wordpress.xml')], open, { stdout: out, stderr: err }),
    ).toBe(0);
    // The related pass's bars (ending with its lists), then what was skipped.
    expect(err.text()).toMatch(
      /^lists +\[#{20}\] 100% {2}(\d+)\/\1 .*\/s\n(?:.*\n)*skipped page 2: a page, not a post\n$/m,
    );
    expect(
      err
        .text()
        .split('\n')
        .filter((l) => /^(weigh|stories|lists) /.test(l)),
    ).toHaveLength(3);
    expect(out.text()).toMatch(/^4 posts: 4 created, 0 updated, 0 failed, 1 skipped; 5 old addresses redirect/);
    const again = collector();
    await importArchiveCommand('wordpress', [fixture('wordpress.xml')], open, { stdout: again, stderr: collector() });
    expect(again.text()).toMatch(/^4 posts: 0 created, 4 updated/);
  });

  it('imports a Ghost export with the old site address', async () => {
    const out = collector();
    const args = [fixture('ghost.json'), '--url', 'https://old.example'];
    expect(await importArchiveCommand('ghost', args, open, { stdout: out, stderr: collector() })).toBe(0);
    expect(out.text()).toMatch(/^3 posts: 3 created/);
  });

  it('with --download-images, brings the images home through the outbound HTTP client and says what stayed', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://old.example').intercept({ path: '/content/images/2026/12/talks.jpg' }).reply(404, '');
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    agent
      .get('https://old.example')
      .intercept({ path: '/content/images/2026/12/cairo.jpg' })
      .reply(200, photo, { headers: { 'content-type': 'image/png' } });
    const own = await createTestServices({}, undefined, { httpDispatcher: agent });
    try {
      const err = collector();
      const args = [fixture('ghost.json'), '--url', 'https://old.example', '--download-images'];
      const opened = async () => ({ ...own.services, close: async () => {} });
      expect(await importArchiveCommand('ghost', args, opened, { stdout: collector(), stderr: err })).toBe(0);
      expect(err.text()).toMatch(
        /^image not downloaded for post \S+: https:\/\/old\.example\/content\/images\/2026\/12\/talks\.jpg: HTTP 404\n/,
      );
      expect(err.text()).toContain('1 images downloaded, 1 kept at their old address\n');
    } finally {
      await own.cleanup();
    }
  });

  it('exits 2 on bad usage and 1 on a file that is not such an export', async () => {
    const err = collector();
    expect(
      await importArchiveCommand('ghost', [fixture('ghost.json')], open, { stdout: collector(), stderr: err }),
    ).toBe(2);
    expect(err.text()).toMatch(/^Usage: dateline import-ghost/);
    expect(await importArchiveCommand('wordpress', [], open, { stdout: collector(), stderr: collector() })).toBe(2);
    const notXml = join(dir, 'x.xml');
    writeFileSync(notXml, '{"db": []}');
    const bad = collector();
    expect(await importArchiveCommand('wordpress', [notXml], open, { stdout: collector(), stderr: bad })).toBe(1);
    expect(bad.text()).toMatch(/INVALID_EXPORT/);
    expect(
      await importArchiveCommand('wordpress', [join(dir, 'missing.xml')], open, {
        stdout: collector(),
        stderr: collector(),
      }),
    ).toBe(1);
  });
});
