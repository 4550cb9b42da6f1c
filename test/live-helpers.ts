/** Shared by the live coverage tests: an editor to act as, and a one-paragraph body. */
import type { LiveActor } from '../src/live/live.service.js';
import type { Services } from '../src/services.js';

export const para = (html: string) => [{ type: 'paragraph' as const, html }];

/** A new editor account, as the live service takes its actor. */
export async function liveEditor(s: Pick<Services, 'accounts'>, email = 'ed@news.test'): Promise<LiveActor> {
  const u = await s.accounts.createUser('operator', {
    email,
    name: 'Eve Editor',
    role: 'editor',
    password: 'correct horse battery staple',
  });
  return { id: u.id, role: u.role, active: u.active, name: u.name };
}

/** html-validate's complaints (the repository's rules) about each named page, one line each. */
export async function htmlProblems(pages: [string, string][]): Promise<string[]> {
  const { HtmlValidate } = await import('html-validate');
  const { readFileSync } = await import('node:fs');
  const config = JSON.parse(readFileSync(new URL('../.htmlvalidate.json', import.meta.url), 'utf8'));
  const validator = new HtmlValidate(config);
  const problems: string[] = [];
  for (const [name, body] of pages)
    for (const result of (await validator.validateString(body, `${name}.html`)).results)
      for (const m of result.messages) problems.push(`${name}: ${m.ruleId} ${m.message} (line ${m.line})`);
  return problems;
}
