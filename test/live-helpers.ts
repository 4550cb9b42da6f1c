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
