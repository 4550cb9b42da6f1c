/*
 * Dateline: the weather in the page header, made personal. Pages are cached
 * for everyone with the site's default city; this script asks /api/weather
 * for the reader's own city (the one they chose, kept in the weather_place
 * cookie, or else the location a CDN in front reports) and swaps it in.
 * Without JavaScript, or when the request fails, the default city stays.
 */
(() => {
  const box = document.querySelector('[data-weather-api]');
  if (!box || !window.fetch) return;
  const cookie = (name) => {
    const match = document.cookie.match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
    return match ? match[1] : undefined;
  };
  const params = new URLSearchParams();
  const place = cookie('weather_place');
  const units = cookie('weather_units');
  if (place && /^\d{1,10}$/.test(place)) params.set('place', place);
  if (units === 'celsius' || units === 'fahrenheit') params.set('units', units);
  const query = params.toString();

  const svg = 'http://www.w3.org/2000/svg';
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const show = (data) => {
    const w = data.weather;
    if (!w || !data.place || !/^[a-z-]{1,40}$/.test(w.icon)) return;
    let now = box.querySelector('[data-weather-now]');
    if (!now) {
      now = el('p', 'weather-now');
      now.setAttribute('data-weather-now', '');
      box.prepend(now);
    }
    const icon = document.createElementNS(svg, 'svg');
    for (const [name, value] of [
      ['class', 'weather-icon'],
      ['aria-hidden', 'true'],
      ['focusable', 'false'],
      ['width', '32'],
      ['height', '32'],
    ]) {
      icon.setAttribute(name, value);
    }
    const use = document.createElementNS(svg, 'use');
    use.setAttribute('href', `${box.getAttribute('data-weather-icons')}#${w.icon}`);
    icon.append(use);
    const reading = el('span', 'weather-reading');
    reading.setAttribute('aria-hidden', 'true');
    const temperature = el('span', 'weather-temperature');
    temperature.append(el('span', 'weather-temp', w.text), el('span', 'weather-unit', w.unitSymbol));
    // The same words and spaces as the server's markup.
    reading.append(
      temperature,
      ' ',
      el('span', 'weather-condition', w.conditionText),
      ' ',
      el('span', 'weather-city', data.place.name),
    );
    now.replaceChildren(icon, reading, el('span', 'visually-hidden', w.label));
    box.setAttribute('data-weather-source', data.source);
  };

  fetch(`${box.getAttribute('data-weather-api')}${query ? `?${query}` : ''}`, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  })
    .then((res) => (res.ok ? res.json() : null))
    .then((data) => {
      if (data) show(data);
    })
    .catch(() => {});
})();
