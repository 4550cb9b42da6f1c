import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { ArticleInput } from '../articles/article.js';
import type { Services } from '../services.js';

const para = (text: string): ArticleInput['body'] => [{ type: 'paragraph', html: text }];

describeTargets('search by language on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  const ids: Record<string, number> = {};
  const save = async (key: string, input: Partial<ArticleInput>) => {
    ids[key] = (await s.articles.save(articleInput({ externalId: `lang:${key}`, ...input }))).id;
  };
  const find = async (q: string) => (await s.search.search({ q, perPage: 50 })).hits.map((h) => h.id);

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    await save('ru', {
      language: 'ru',
      headline: 'Обзор новостей недели',
      standfirst: 'Главные события в Москве.',
      body: para('Компания Gazprom сообщила о росте exports.'),
    });
    await save('uk', { language: 'uk', headline: 'Новини дня з Києва', body: para('Уряд ухвалив рішення.') });
    await save('zh', { language: 'zh', headline: '今日新闻', body: para('北京的天气很好。iPhone发布会在上海举行。') });
    await save('ja', { language: 'ja', headline: '東京で地震が発生しました', body: para('気象庁が発表した。') });
    await save('th', { language: 'th', headline: 'ข่าววันนี้ประเทศไทย', body: para('ฝนตกหนักในกรุงเทพ') });
    await save('ar', { language: 'ar', headline: 'أخبار الكتاب اليوم', body: para('مرحبا بالعالم') });
    await save('emoji', { headline: '💥💥💥 Fireworks over the harbour 🎆', body: para('A night of 🎉 colour.') });
    await save('en', { headline: 'Ministers discuss housing', body: para('Running costs of houses rose.') });
    await save('enMixed', { headline: 'Xinhua reports 今日新闻 on Kyiv', body: para('The word новости means news.') });
  });
  afterAll(() => t?.cleanup());

  it('finds Russian articles by any inflected form of a word', async () => {
    // The English article quotes the word: it is found too, after the Russian one whose headline has it.
    expect(await find('новости')).toEqual([ids['ru'], ids['enMixed']]);
    expect(await find('новостей')).toEqual([ids['ru'], ids['enMixed']]);
    expect(await find('событие')).toEqual([ids['ru']]);
    expect(await find('"главные события"')).toEqual([ids['ru']]);
    expect(await find('новост*')).toEqual([ids['ru'], ids['enMixed']]);
  });

  it('finds Ukrainian articles by their words as written, and by prefix', async () => {
    expect(await find('новини')).toEqual([ids['uk']]);
    expect(await find('Києва')).toEqual([ids['uk']]);
    expect(await find('рішен*')).toEqual([ids['uk']]);
  });

  it('finds Chinese, Japanese and Thai articles by a word inside unspaced text', async () => {
    expect(new Set(await find('新闻'))).toEqual(new Set([ids['zh'], ids['enMixed']]));
    expect(new Set(await find('今日新闻'))).toEqual(new Set([ids['zh'], ids['enMixed']]));
    expect(await find('天气')).toEqual([ids['zh']]);
    expect(await find('发布')).toEqual([ids['zh']]);
    expect(await find('地震')).toEqual([ids['ja']]);
    expect(await find('"今日 天气"')).toEqual([]);
    expect(await find('ข่าว')).toEqual([ids['th']]);
    expect(await find('กรุงเทพ')).toEqual([ids['th']]);
  });

  it('finds Arabic articles by stem', async () => {
    expect(await find('الكتاب')).toEqual([ids['ar']]);
    expect(await find('بالعالم')).toEqual([ids['ar']]);
  });

  it('indexes text with emoji by its words, and answers a query of emoji alone with nothing to search', async () => {
    expect(await find('fireworks')).toEqual([ids['emoji']]);
    expect(await s.search.search({ q: '💥' })).toMatchObject({ hits: [], empty: 'no-query' });
  });

  it('finds words of other scripts inside an article, each read in its own language', async () => {
    expect(await find('gazprom')).toEqual([ids['ru']]);
    expect(await find('iphone')).toEqual([ids['zh']]);
    expect(await find('kyiv')).toEqual([ids['enMixed']]);
    expect(await find('новости')).not.toContain(ids['uk']);
  });

  it('reads English as before: stems, stop words dropped', async () => {
    expect(await find('house')).toEqual([ids['en']]);
    expect(await find('minister running')).toEqual([ids['en']]);
    expect(await find('the housing')).toEqual([ids['en']]);
  });
});

describeTargets('search on a German site on $dialect', (target) => {
  let t: TestServices;
  const ids: number[] = [];
  beforeAll(async () => {
    t = await createTestServices({ SITE_LANGUAGE: 'de' }, target);
    for (const headline of ['Die Häuser brennen in Hamburg', 'Neue Wohnungen für Familien'])
      ids.push((await t.services.articles.save(articleInput({ language: 'de', headline }))).id);
  });
  afterAll(() => t?.cleanup());

  it("tries Latin words in the site's language: a German inflection finds its stem", async () => {
    const find = async (q: string) => (await t.services.search.search({ q })).hits.map((h) => h.id);
    expect(await find('Haus')).toEqual([ids[0]]);
    expect(await find('Wohnung Familie')).toEqual([ids[1]]);
  });
});
