import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';

describeTargets('related news by language on $dialect', (target) => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const save = async (key: string, language: string, headline: string, standfirst: string, day: number) => {
      ids[key] = (
        await t.app.dateline.articles.save(
          articleInput({
            language,
            headline,
            standfirst,
            body: [{ type: 'paragraph', html: standfirst }],
            publishedAt: new Date(Date.UTC(2024, 5, day, 12)),
          }),
        )
      ).id;
    };
    // The two Russian articles share no word as written: only stems ("выборы"/"выборов", "губернатора"/"губернатор").
    await save('ru1', 'ru', 'Выборы губернатора в Новосибирске', 'Избиратели выбирают губернатора.', 1);
    await save('ru2', 'ru', 'Итоги выборов: губернатор Новосибирска', 'Губернатор победил на выборах.', 2);
    await save('ruOther', 'ru', 'Хоккейный клуб выиграл кубок', 'Команда отпраздновала победу в финале.', 2);
    await save('zh1', 'zh', '北京举行新闻发布会', '政府在北京宣布新的经济政策。', 1);
    await save('zh2', 'zh', '经济政策新闻', '北京的经济政策受到关注。', 2);
    await settle(t.app);
  });
  afterAll(() => t.cleanup());

  it('relates Russian articles whose words differ only by inflection', async () => {
    const related = (await t.app.dateline.related.read(ids['ru1']!)).map((r) => r.id);
    expect(related).toContain(ids['ru2']);
    expect(related).not.toContain(ids['ruOther']);
  });

  it('relates Chinese articles by their segmented words', async () => {
    const related = (await t.app.dateline.related.read(ids['zh1']!)).map((r) => r.id);
    expect(related).toContain(ids['zh2']);
    expect(related).not.toContain(ids['ru2']);
  });
});
