/*
 * Dateline: small comforts on reader pages, none needed to read them.
 * - "Copy link" is a plain link to the article; with this script it copies
 *   the address and says so (politely, to screen readers too).
 * - A recent time ("2 hours ago") beside the absolute one. Pages are cached
 *   for everyone, so the server cannot write "ago": it is worked out here,
 *   from each <time datetime>, in the page's language. Date-only times
 *   (YYYY-MM-DD) are left alone.
 */
(() => {
  const copy = document.querySelector('[data-copy-link]');
  const status = document.querySelector('[data-copy-status]');
  if (copy && status && navigator.clipboard) {
    copy.addEventListener('click', (event) => {
      event.preventDefault();
      navigator.clipboard.writeText(copy.href).then(
        () => {
          status.textContent = 'Link copied';
        },
        () => {
          status.textContent = 'Could not copy: the link is the article’s address';
        },
      );
    });
  }

  if (!window.Intl || !Intl.RelativeTimeFormat) return;
  const lang = document.documentElement.lang || 'en';
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const now = Date.now();
  const DAY = 86_400_000;
  for (const time of document.querySelectorAll('.card-meta time[datetime], .published > time[datetime]')) {
    const iso = time.getAttribute('datetime') || '';
    if (iso.length <= 10) continue;
    const ms = now - Date.parse(iso);
    if (!(ms >= 0 && ms < DAY)) continue;
    const minutes = Math.round(ms / 60_000);
    const text = minutes < 60 ? rtf.format(-minutes, 'minute') : rtf.format(-Math.round(minutes / 60), 'hour');
    const span = document.createElement('span');
    span.className = 'relative-time';
    span.textContent = ` (${text})`;
    time.after(span);
  }
})();
