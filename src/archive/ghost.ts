/**
 * Ghost's export (Settings → Advanced → Export, the JSON of `db[0].data`) →
 * archive posts: posts with their HTML as blocks (a post without HTML from its
 * plain text), authors in their order, the primary tag as the section and the
 * other public tags as tags (internal `#tags` left out), the feature image
 * with its alt text and caption, the custom excerpt as the standfirst,
 * publication state and dates (a `scheduled` post is scheduled), and `/slug`
 * (Ghost's default permalink) as the old address. Pages and email-only posts
 * are skipped, each with its reason. `__GHOST_URL__` in addresses becomes
 * the old site's address.
 *
 * @example
 *   const { posts } = parseGhost(readFileSync('news.ghost.2026-12-05.json', 'utf8'), { url: 'https://old.example' });
 *   posts[0].input.externalId; // 'ghost:6751a0c1e4b0a1000100a001'
 */
import { z } from 'zod';
import type { ArticleInput, ArticleStatus, Image } from '../articles/article.js';
import { plainTextToBlocks } from '../articles/blocks.js';
import { htmlToBlocks } from '../extract/html-to-blocks.js';
import { stripControlChars } from '../lib/control-chars.js';
import { AppError } from '../lib/errors.js';
import { slugFor } from '../lib/slug.js';
import { type ArchivePost, type ParsedArchive, plainText } from './archive-post.js';
import { permalinkPath } from './old-permalink.js';

const str = z.string().nullish();
const post = z.object({
  id: z.string(),
  title: z.string(),
  slug: z.string(),
  html: str,
  plaintext: str,
  feature_image: str,
  type: z.string().default('post'),
  status: z.string(),
  published_at: str,
  updated_at: str,
  custom_excerpt: str,
});
const data = z.object({
  posts: z.array(post),
  posts_meta: z
    .array(
      z.object({ post_id: z.string(), feature_image_alt: str, feature_image_caption: str, email_only: z.unknown() }),
    )
    .default([]),
  users: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  posts_authors: z
    .array(z.object({ post_id: z.string(), author_id: z.string(), sort_order: z.number().default(0) }))
    .default([]),
  tags: z.array(z.object({ id: z.string(), name: z.string(), visibility: z.string().default('public') })).default([]),
  posts_tags: z
    .array(z.object({ post_id: z.string(), tag_id: z.string(), sort_order: z.number().default(0) }))
    .default([]),
  settings: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
});
type Data = z.infer<typeof data>;
type Post = z.infer<typeof post>;

const STATUSES: Record<string, ArticleStatus> = { published: 'published', scheduled: 'scheduled', draft: 'draft' };

export interface GhostOptions {
  /** The old site's address, for `__GHOST_URL__` in image and link addresses. */
  url: string;
  /** The articles' language, over the export's `locale` setting (`lang` before Ghost 5). */
  language?: string;
}

export function parseGhost(json: string, options: GhostOptions): ParsedArchive {
  const parsed = data.safeParse(exportData(json));
  if (!parsed.success)
    throw new AppError(
      'INVALID_EXPORT',
      `not a Ghost export: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const d = parsed.data;
  const setting = (key: string) => d.settings.find((s) => s.key === key)?.value;
  const language = options.language ?? (String(setting('locale') ?? setting('lang') ?? '') || undefined);
  const base = options.url.replace(/\/+$/, '');
  const index: Index = {
    tags: new Map(d.tags.map((t) => [t.id, t])),
    users: new Map(d.users.map((u) => [u.id, u.name])),
    meta: new Map(d.posts_meta.map((m) => [m.post_id, m])),
    postTags: byPost(d.posts_tags),
    postAuthors: byPost(d.posts_authors),
  };
  const result: ParsedArchive = { posts: [], skipped: [] };
  for (const p of d.posts) {
    const ref = `${p.type} ${p.id}`;
    const status = STATUSES[p.status];
    const emailOnly = index.meta.get(p.id)?.email_only;
    if (p.type !== 'post') result.skipped.push({ ref, reason: `a ${p.type}, not a post` });
    else if (emailOnly === true || emailOnly === 1) result.skipped.push({ ref, reason: 'sent by email only' });
    else if (!status) result.skipped.push({ ref, reason: `status ${p.status}` });
    else result.posts.push(toPost(p, ref, status, index, { base, language }));
  }
  return result;
}

/** The `data` of an export: Ghost 1.0 and later wrap it as `{ db: [{ meta, data }] }`, older ones as `{ meta, data }`. */
function exportData(json: string): unknown {
  let doc: { db?: { data?: unknown }[]; data?: unknown };
  try {
    doc = JSON.parse(json.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new AppError('INVALID_EXPORT', `not a Ghost export: ${(err as Error).message}`);
  }
  return doc?.db?.[0]?.data ?? doc?.data;
}

/** The export's tables by id and by post: a 10,000-post export would otherwise scan its link tables per post. */
interface Index {
  tags: Map<string, Data['tags'][number]>;
  users: Map<string, string>;
  meta: Map<string, Data['posts_meta'][number]>;
  postTags: Map<string, { tag_id: string }[]>;
  postAuthors: Map<string, { author_id: string }[]>;
}

/** Link rows grouped by post, each group in its `sort_order`. */
function byPost<T extends { post_id: string; sort_order: number }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of [...rows].sort((a, b) => a.sort_order - b.sort_order)) {
    const group = groups.get(row.post_id);
    if (group) group.push(row);
    else groups.set(row.post_id, [row]);
  }
  return groups;
}

function toPost(
  p: Post,
  ref: string,
  status: ArticleStatus,
  d: Index,
  ctx: { base: string; language: string | undefined },
): ArchivePost {
  const ghostUrl = (s: string) => s.replaceAll('__GHOST_URL__', ctx.base);
  const tags = (d.postTags.get(p.id) ?? [])
    .map((pt) => d.tags.get(pt.tag_id))
    .filter((t) => t !== undefined && t.visibility === 'public' && !t.name.startsWith('#'))
    .map((t) => ({ name: plainText(t!.name) }));
  const authors = (d.postAuthors.get(p.id) ?? [])
    .map((pa) => d.users.get(pa.author_id))
    .filter((name): name is string => !!name)
    .map((name) => ({ name: plainText(name) }));
  const link = `${ctx.base}/${p.slug}/`;
  const body = p.html ? htmlToBlocks(ghostUrl(p.html), link) : plainTextToBlocks(stripControlChars(p.plaintext ?? ''));
  const lead = featureImage(p, d, ghostUrl);
  const publishedAt = date(p.published_at);
  const updatedAt = date(p.updated_at);
  const [section, ...rest] = tags;
  const input: ArticleInput = {
    externalId: `ghost:${p.id}`,
    slug: slugFor(p.slug),
    headline: plainText(p.title),
    standfirst: plainText(p.custom_excerpt ?? ''),
    body,
    ...(lead ? { leadImage: lead } : {}),
    authors,
    section: section ?? { name: 'News' },
    tags: rest,
    status,
    ...(ctx.language ? { language: ctx.language } : {}),
    ...(publishedAt && status !== 'draft' ? { publishedAt } : {}),
    ...(updatedAt && status !== 'draft' ? { updatedAt } : {}),
  };
  const old = permalinkPath(link);
  return { ref, input, oldPaths: old ? [old] : [] };
}

function featureImage(p: Post, d: Index, ghostUrl: (s: string) => string): Image | undefined {
  const src = p.feature_image ? ghostUrl(p.feature_image) : '';
  if (!/^https?:\/\//i.test(src)) return undefined;
  const meta = d.meta.get(p.id);
  const caption = plainText(meta?.feature_image_caption ?? '');
  return { src, alt: plainText(meta?.feature_image_alt ?? ''), ...(caption ? { caption } : {}) };
}

function date(value: string | null | undefined): Date | undefined {
  const d = value ? new Date(value) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}
