/**
 * Image upload for the body: the file goes as multipart form data (field
 * `file`) to the editor's `data-upload-url` with the page's CSRF token; the
 * answer is `{ src, width, height }`, or `{ error: { code, message } }`.
 */
import { isAllowedImageSrc } from '../editor/urls.js';
import { csrfToken } from './dom.js';

export interface Uploaded {
  src: string;
  width: number | null;
  height: number | null;
}

const dimension = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

/**
 * Uploads one image; throws an Error whose message can be shown to the editor.
 *
 * @example
 *   const { src, width, height } = await uploadImage('/admin/api/media', file);
 */
export async function uploadImage(url: string, file: File): Promise<Uploaded> {
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken() },
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new Error('The image could not be uploaded: no connection to the server.');
  }
  const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    const message = (json?.['error'] as { message?: unknown } | undefined)?.message;
    throw new Error(`The image was refused: ${typeof message === 'string' ? message : `error ${response.status}`}`);
  }
  const src = json?.['src'];
  if (typeof src !== 'string' || !isAllowedImageSrc(src)) throw new Error('The server gave no usable image address.');
  return { src, width: dimension(json?.['width']), height: dimension(json?.['height']) };
}
