/**
 * `GET /admin`: the desk, every article the signed-in person may see, with
 * filters and keyset pages. Contributors see their own articles only.
 */
import type { FastifyInstance } from 'fastify';
import { authorize } from '../accounts/policy.js';
import type { WorkflowState } from '../articles/article.js';
import { type DeskCursor, type DeskFilter, listDesk } from '../articles/article-desk.repository.js';
import { listSections } from '../articles/taxonomy.repository.js';
import { idFromQuery, type Newsroom, render, signedIn } from './context.js';
import { STATE_LABELS } from './states.js';
import { renderDesk } from './views/desk.view.js';

type Query = { state?: string; section?: string; author?: string; q?: string; after?: string };

const PAGE = 50;

/** `after` in a link: the last row's time and id. */
export function readCursor(value: string | undefined): DeskCursor | undefined {
  const m = value ? /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_(\d{1,10})$/.exec(value) : null;
  return m ? { updatedAt: m[1]!, id: Number(m[2]) } : undefined;
}

export async function deskRoutes(app: FastifyInstance, nr: Newsroom): Promise<void> {
  app.get<{ Querystring: Query }>(
    '/',
    { schema: { querystring: { type: 'object', additionalProperties: { type: 'string', maxLength: 300 } } } },
    async (request, reply) => {
      const { user } = signedIn(request);
      authorize(user, 'article.create');
      const q = request.query;
      const state = q.state && q.state in STATE_LABELS ? (q.state as WorkflowState) : undefined;
      const filter: DeskFilter = {
        ...(state ? { state } : {}),
        ...(idFromQuery(q.section) ? { sectionId: idFromQuery(q.section)! } : {}),
        ...(idFromQuery(q.author) ? { authorId: idFromQuery(q.author)! } : {}),
        ...(q.q?.trim() ? { text: q.q.trim() } : {}),
        ...(user.role === 'contributor' ? { createdBy: user.id } : {}),
      };
      const after = readCursor(q.after);
      const [page, sections, authors] = await Promise.all([
        listDesk(nr.database.db, nr.database.dialect, filter, { limit: PAGE, ...(after ? { after } : {}) }),
        listSections(nr.database.db),
        nr.database.db.selectFrom('authors').select(['id', 'name']).orderBy('name').limit(1000).execute(),
      ]);
      const params = new URLSearchParams(
        Object.entries({ state: q.state, section: q.section, author: q.author, q: q.q }).filter(
          (e): e is [string, string] => !!e[1],
        ),
      );
      if (page.next) params.set('after', `${page.next.updatedAt}_${page.next.id}`);
      const html = renderDesk({
        rows: page.items.map((item) => ({
          href: `/admin/articles/${item.id}`,
          headline: item.headline,
          state: item.state,
          stateLabel: STATE_LABELS[item.state],
          section: item.section,
          updated: { iso: item.updatedAt.toISOString(), text: nr.clock.format(item.updatedAt) },
        })),
        filters: { state: q.state ?? '', section: q.section ?? '', author: q.author ?? '', q: q.q ?? '' },
        states: Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label })),
        sections: sections.map((s) => ({ value: String(s.id), label: s.name })),
        authors: authors.map((a) => ({ value: String(a.id), label: a.name })),
        ...(page.next ? { nextHref: `/admin?${params}` } : {}),
        canCreate: true,
      });
      return render(nr, request, reply, html, { title: 'Articles', current: '/admin' });
    },
  );
}
