/**
 * Revisions: the article as a save left it (a snapshot of what an editor
 * sees), and a readable diff between two of them. Pure functions; the
 * repository stores snapshots as JSON.
 *
 * @example
 *   const changes = diffSnapshots(older, newer);
 *   changes[0]; // { field: 'Headline', parts: [{ value: 'Talks ' }, { removed: true, value: 'stall' }, { added: true, value: 'resume' }] }
 */
import { diffArrays, diffWords } from 'diff';
import { type ArticleInput, type ArticleStatus, type Block, type Image, stripTags } from './article.js';

export interface ArticleSnapshot {
  headline: string;
  standfirst: string;
  body: Block[];
  leadImage?: Image;
  section: { name: string; slug?: string };
  tags: { name: string; slug?: string }[];
  authors: { name: string; slug?: string }[];
  datelinePlace?: string;
  status: ArticleStatus;
  /** ISO times. */
  publishedAt?: string;
  embargoUntil?: string;
  language: string;
}

export interface RevisionSummary {
  id: number;
  version: number;
  savedAt: Date;
  savedBy?: number;
  status: ArticleStatus;
  headline: string;
}

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface FieldDiff {
  field: string;
  parts: DiffPart[];
}

/** The snapshot of what an input saves (after its body was normalized). */
export function snapshotOf(input: ArticleInput, body: Block[], status: ArticleStatus): ArticleSnapshot {
  return {
    headline: input.headline.trim(),
    standfirst: (input.standfirst ?? '').trim(),
    body,
    ...(input.leadImage ? { leadImage: input.leadImage } : {}),
    section: input.section,
    tags: input.tags,
    authors: input.authors,
    ...(input.datelinePlace ? { datelinePlace: input.datelinePlace } : {}),
    status,
    ...(input.publishedAt ? { publishedAt: input.publishedAt.toISOString() } : {}),
    ...(input.embargoUntil ? { embargoUntil: input.embargoUntil.toISOString() } : {}),
    language: input.language ?? 'en',
  };
}

/** A revision's content as an input: restoring it saves this, keeping the article's status and times. */
export function snapshotInput(s: ArticleSnapshot): Omit<ArticleInput, 'status'> {
  return {
    headline: s.headline,
    standfirst: s.standfirst,
    body: s.body,
    ...(s.leadImage ? { leadImage: s.leadImage } : {}),
    section: s.section,
    tags: s.tags,
    authors: s.authors,
    ...(s.datelinePlace ? { datelinePlace: s.datelinePlace } : {}),
    language: s.language,
  };
}

/** One line of text per block, as an editor reads a body in a diff. */
export function blockLines(body: Block[]): string[] {
  return body.map(blockLine);
}

function blockLine(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return stripTags(b.html);
    case 'crosshead':
      return `## ${b.text}`;
    case 'quote':
      return `“${b.text}”${b.attribution ? ` — ${b.attribution}` : ''}`;
    case 'list':
      return b.items.map((item, i) => `${b.style === 'numbered' ? `${i + 1}.` : '•'} ${stripTags(item)}`).join('\n');
    case 'image':
      return `[image ${b.src}${b.alt ? `: ${b.alt}` : ''}${b.caption ? ` — ${b.caption}` : ''}]`;
    case 'embed':
      return `[embed ${b.url}${b.title ? `: ${b.title}` : ''}]`;
  }
}

const names = (items: { name: string }[]) => items.map((i) => i.name).join(', ');

/**
 * What changed from `a` to `b`, field by field (only fields that differ): words
 * added and removed within text; the body block by block, with changed blocks
 * compared word by word.
 */
export function diffSnapshots(a: ArticleSnapshot, b: ArticleSnapshot): FieldDiff[] {
  const text = (field: string, x: string, y: string): FieldDiff[] =>
    x === y ? [] : [{ field, parts: diffWords(x, y).map(part) }];
  return [
    ...text('Headline', a.headline, b.headline),
    ...text('Standfirst', a.standfirst, b.standfirst),
    ...text('Section', a.section.name, b.section.name),
    ...text('Tags', names(a.tags), names(b.tags)),
    ...text('Bylines', names(a.authors), names(b.authors)),
    ...text('Dateline', a.datelinePlace ?? '', b.datelinePlace ?? ''),
    ...text('Lead image', imageLine(a.leadImage), imageLine(b.leadImage)),
    ...text('Status', a.status, b.status),
    ...text('Embargo', a.embargoUntil ?? '', b.embargoUntil ?? ''),
    ...bodyDiff(blockLines(a.body), blockLines(b.body)),
  ];
}

function bodyDiff(a: string[], b: string[]): FieldDiff[] {
  if (a.length === b.length && a.every((line, i) => line === b[i])) return [];
  const parts: DiffPart[] = [];
  const chunks = diffArrays(a, b);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const next = chunks[i + 1];
    // A block removed and another added in its place reads best as one block changed, word by word.
    if (chunk.removed && next?.added && chunk.value.length === next.value.length) {
      chunk.value.forEach((line, j) => {
        parts.push(...diffWords(line, next.value[j] ?? '').map(part), { value: '\n\n' });
      });
      i++;
      continue;
    }
    for (const line of chunk.value) {
      parts.push({ value: line, ...(chunk.added ? { added: true } : {}), ...(chunk.removed ? { removed: true } : {}) });
      parts.push({ value: '\n\n' });
    }
  }
  return [{ field: 'Body', parts }];
}

function imageLine(image: Image | undefined): string {
  return image ? [image.src, image.alt, image.caption, image.credit].filter(Boolean).join(' — ') : '';
}

function part(p: { value: string; added?: boolean; removed?: boolean }): DiffPart {
  return { value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) };
}
