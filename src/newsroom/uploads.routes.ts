/**
 * Image uploads: `POST /admin/api/uploads` for the body editor (multipart,
 * field `file`; JSON `{ src, width, height }`), and `POST /admin/uploads`, a
 * plain form that works without JavaScript and shows the stored image's
 * address (for the lead image field, or an author's photo). The image
 * service checks the type by content, the size and the pixels, and strips
 * metadata; refusals keep their codes (413, 415, 422).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import { AppError } from '../lib/errors.js';
import { html } from '../lib/html.js';
import type { Newsroom } from './context.js';
import { render, signedIn } from './context.js';
import { csrfField } from './views/fields.js';

export interface UploadsDeps {
  upload(
    bytes: Buffer,
    meta: { filename?: string; uploadedBy?: number },
  ): Promise<{ src: string; width: number; height: number }>;
}

/** The uploaded file's bytes; the multipart parser enforces the size limit while reading. */
async function fileOf(request: FastifyRequest): Promise<{ bytes: Buffer; filename: string }> {
  if (!request.isMultipart()) throw new AppError('BAD_REQUEST', 'send the image as a multipart form, field "file"');
  const file = await request.file();
  if (file?.fieldname !== 'file') throw new AppError('BAD_REQUEST', 'no file in the field "file"');
  const bytes = await file.toBuffer().catch((err: { code?: string }) => {
    if (err.code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('IMAGE_TOO_LARGE', 'the file is over the upload limit');
    throw err;
  });
  return { bytes, filename: file.filename };
}

function uploadForm(csrf: string, result?: { src: string; width: number; height: number }) {
  return html`<h1>Upload an image</h1>
${result ? html`<div class="flash flash-ok" role="status"><p>Stored. Its address: <code>${result.src}</code> (${result.width} × ${result.height})</p><p><img src="${result.src}" alt="" width="240"></p></div>` : ''}
<form method="post" action="/admin/uploads?_csrf=${csrf}" enctype="multipart/form-data" class="narrow">
${csrfField(csrf)}
<div class="field"><label for="f-file">Image (JPEG, PNG, WebP, AVIF or GIF)</label>
<input id="f-file" type="file" name="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" required></div>
<button type="submit" class="primary">Upload</button>
</form>`;
}

export async function uploadRoutes(app: FastifyInstance, nr: Newsroom & UploadsDeps): Promise<void> {
  const store = async (request: FastifyRequest) => {
    const { user } = signedIn(request);
    authorize(user, 'media.upload');
    const { bytes, filename } = await fileOf(request);
    return nr.upload(bytes, { filename, uploadedBy: user.id });
  };

  app.post('/api/uploads', async (request, reply) => {
    const { src, width, height } = await store(request);
    return reply.header('cache-control', 'private, no-store').send({ src, width, height });
  });

  app.get('/uploads', async (request, reply) => {
    authorize(signedIn(request).user, 'media.upload');
    return render(nr, request, reply, uploadForm(request.caller.csrf), { title: 'Upload an image' });
  });

  app.post('/uploads', async (request, reply) => {
    const result = await store(request);
    return render(nr, request, reply, uploadForm(request.caller.csrf, result), { title: 'Upload an image' });
  });
}
