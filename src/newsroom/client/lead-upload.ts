/**
 * The lead image's upload button (`[data-lead-upload]` in the article form):
 * the chosen file goes to the same upload endpoint as body images, and the
 * stored image's address and size fill the lead image fields, with a preview;
 * the alt text field then takes the focus. Without JavaScript, the fields
 * take an address by hand (the newsroom's upload page shows one).
 *
 * @example
 *   mountLeadUpload(document.querySelector('[data-lead-upload]'));
 */
import { h } from './dom.js';
import { uploadImage } from './upload.js';

/** Sets a form field as typing would: listeners (autosave) hear of it. */
function setField(form: HTMLFormElement, name: string, value: string): void {
  const input = form.elements.namedItem(name);
  if (!(input instanceof HTMLInputElement)) return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export function mountLeadUpload(root: HTMLElement): void {
  const form = root.closest('form');
  const url = root.dataset.uploadUrl;
  if (!form || !url) return;
  const file = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,image/avif,image/gif', hidden: '' });
  const button = h('button', { type: 'button', class: 'lead-upload-button' }, 'Upload a lead image');
  const status = h('p', { class: 'lead-upload-status', role: 'status', 'aria-live': 'polite' });
  const preview = h('img', { class: 'lead-upload-preview', alt: '', hidden: '' });
  const current = (form.elements.namedItem('lead_src') as HTMLInputElement | null)?.value ?? '';
  if (current.startsWith('/media/')) {
    preview.src = current;
    preview.hidden = false;
  }
  button.addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    button.disabled = true;
    status.textContent = 'Uploading…';
    try {
      const image = await uploadImage(url, chosen);
      setField(form, 'lead_src', image.src);
      setField(form, 'lead_width', image.width ? String(image.width) : '');
      setField(form, 'lead_height', image.height ? String(image.height) : '');
      preview.src = image.src;
      preview.hidden = false;
      status.textContent = 'Uploaded. Describe the image for people who cannot see it.';
      (form.elements.namedItem('lead_alt') as HTMLInputElement | null)?.focus();
    } catch (err) {
      status.textContent = (err as Error).message;
    } finally {
      button.disabled = false;
      file.value = '';
    }
  });
  root.append(button, file, status, preview);
}
