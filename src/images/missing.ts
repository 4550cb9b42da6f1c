/**
 * Which local images of an article's content are missing from the media
 * folder: reported by `dateline import` (with the line) and by the editor's
 * save, so that someone can put the file back; the reader site leaves such
 * images out meanwhile. External (`https://…`) images are not checked.
 */
import type { Block, Image } from '../articles/article.js';

/** A missing image, and where it is in the content. */
export interface ImageProblem {
  code: 'IMAGE_MISSING';
  src: string;
  /** The lead image, or a body block. */
  field: 'leadImage' | 'body';
  /** The body block's index (from 0), for `field: 'body'`. */
  block?: number;
  /** In words an editor or an import report can show. */
  message: string;
}

/** The images an article's content shows: its lead image and its image blocks. */
export interface ImageContent {
  leadImage?: Image | undefined;
  body: readonly Block[];
}

/**
 * The missing local images of `content`, lead image first, then body images
 * in order. `exists` answers for one `src` (true for an image that is not local).
 *
 * @example
 *   await findMissingImages({ leadImage: { src: '/media/gone.jpg', alt: '' }, body: [] }, presence.check);
 *   // [{ code: 'IMAGE_MISSING', src: '/media/gone.jpg', field: 'leadImage', message: 'lead image /media/gone.jpg …' }]
 */
export async function findMissingImages(
  content: ImageContent,
  exists: (src: string) => Promise<boolean>,
): Promise<ImageProblem[]> {
  const problems: ImageProblem[] = [];
  if (content.leadImage && !(await exists(content.leadImage.src))) {
    const src = content.leadImage.src;
    problems.push({
      code: 'IMAGE_MISSING',
      src,
      field: 'leadImage',
      message: `lead image ${src} is not in the media folder`,
    });
  }
  for (const [index, block] of content.body.entries()) {
    if (block.type !== 'image' || (await exists(block.src))) continue;
    problems.push({
      code: 'IMAGE_MISSING',
      src: block.src,
      field: 'body',
      block: index,
      message: `image ${block.src} (body block ${index + 1}) is not in the media folder`,
    });
  }
  return problems;
}
