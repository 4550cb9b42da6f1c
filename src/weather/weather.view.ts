/**
 * Weather templates: the widget in the site header and the main part of the
 * city page (`/weather`), which works without JavaScript: search a city, pick
 * one of the geocoder's matches, choose units.
 *
 * @example
 *   renderWeatherWidget({ now: { temperature: '3.8', unitSymbol: '°C', … }, apiHref: '/api/weather', … });
 *   // '<div class="weather" …><p class="weather-now" …>…3.8…New York…</p><a …>Change city</a></div>'
 */
import { html, type SafeHtml } from '../lib/html.js';
import { attr, safeUrl } from '../web/views/components.js';
import { PAGE_PATH } from './weather.presenter.js';

/**
 * The weather in the site header: the default city's on shared (cached)
 * pages, the reader's own on their weather page. `now` is absent while
 * nothing is known; the script may still fill it in.
 */
export interface WeatherWidgetVM {
  now?: {
    /** "3.8" or "−2.0". */
    temperature: string;
    unitSymbol: string;
    conditionText: string;
    city: string;
    /** "3.8 degrees Celsius, overcast, in New York". */
    label: string;
    /** The icon's `<use href>`: sprite URL and symbol id. */
    iconHref: string;
  };
  /** The JSON endpoint the script asks for the reader's own city. */
  apiHref: string;
  /** The weather icon sprite, for the script. */
  iconsHref: string;
  /** The no-JavaScript city page. */
  changeHref: string;
}

/** The reading itself: icon, figures and words (shared by the header and the city page). */
function renderNow(now: NonNullable<WeatherWidgetVM['now']>, size: number, className: string): SafeHtml {
  return html`<p class="${className}" data-weather-now><svg class="weather-icon" aria-hidden="true" focusable="false" width="${size}" height="${size}"><use href="${safeUrl(now.iconHref)}"></use></svg><span class="weather-reading" aria-hidden="true"><span class="weather-temperature"><span class="weather-temp">${now.temperature}</span><span class="weather-unit">${now.unitSymbol}</span></span> <span class="weather-condition">${now.conditionText}</span> <span class="weather-city">${now.city}</span></span><span class="visually-hidden">${now.label}</span></p>`;
}

// The presenter hands out one view model per reading: its markup is made once, not on every page render.
const rendered = new WeakMap<WeatherWidgetVM, SafeHtml>();

export function renderWeatherWidget(vm: WeatherWidgetVM): SafeHtml {
  let out = rendered.get(vm);
  if (!out) {
    out = html`<div class="weather" data-weather-api="${safeUrl(vm.apiHref)}" data-weather-icons="${safeUrl(vm.iconsHref)}">${vm.now ? renderNow(vm.now, 32, 'weather-now') : ''}<a class="weather-change" href="${safeUrl(vm.changeHref)}">Change city</a></div>`;
    rendered.set(vm, out);
  }
  return out;
}

export interface PlaceOptionVM {
  id: number;
  label: string;
}

export interface WeatherPageVM {
  /** The reader's weather now (their place), if known. */
  now?: WeatherWidgetVM['now'];
  /** "Paris, Île-de-France, France". */
  placeLabel?: string;
  /** Why this place: the reader's choice, their location, or the site's default. */
  sourceText?: string;
  /** True when the reader has a chosen place to forget. */
  chosen: boolean;
  units: 'celsius' | 'fahrenheit';
  query?: string;
  /** The geocoder's matches for `query`; undefined when search was unavailable. */
  matches?: PlaceOptionVM[];
  saved: boolean;
  /** Local path of the page the reader came from. */
  back?: string;
}

function backField(back: string | undefined): SafeHtml | '' {
  return back ? html`<input type="hidden" name="back" value="${back}">` : '';
}

function unitChoices(units: WeatherPageVM['units'], idPrefix: string): SafeHtml {
  const option = (value: WeatherPageVM['units'], label: string) =>
    html`<li><input type="radio" name="units" id="${idPrefix}-${value}" value="${value}"${value === units ? html` checked` : ''}> <label for="${idPrefix}-${value}">${label}</label></li>`;
  return html`<ul class="weather-options">${option('celsius', 'Celsius (°C)')}${option('fahrenheit', 'Fahrenheit (°F)')}</ul>`;
}

function renderMatches(vm: WeatherPageVM): SafeHtml | '' {
  if (vm.query === undefined) return '';
  if (vm.matches === undefined) {
    return html`<p class="weather-message" role="status">City search is not available right now. Please try again in a few minutes.</p>`;
  }
  if (vm.matches.length === 0) {
    return html`<p class="weather-message" role="status">No city matches “${vm.query}”. Check the spelling, or try a larger town nearby.</p>`;
  }
  const options = vm.matches.map(
    (m, i) =>
      html`<li><input type="radio" name="place" id="place-${m.id}" value="${m.id}"${i === 0 ? html` checked` : ''}> <label for="place-${m.id}">${m.label}</label></li>`,
  );
  return html`<form class="weather-form" method="post" action="${PAGE_PATH}">
<fieldset>
<legend>Places matching “${vm.query}”</legend>
<ul class="weather-options">${options}</ul>
</fieldset>
<fieldset>
<legend>Show temperatures in</legend>
${unitChoices(vm.units, 'match-units')}
</fieldset>
${backField(vm.back)}<button type="submit" name="action" value="choose">Use this city</button>
</form>`;
}

/**
 * The city page's `<main>` content.
 *
 * @example
 *   renderWeatherMain({ chosen: false, units: 'celsius', saved: false, query: 'Paris', matches: [...] });
 */
export function renderWeatherMain(vm: WeatherPageVM): SafeHtml {
  const saved = vm.saved
    ? html`<p class="weather-message" role="status">Saved. This page shows the weather for ${vm.placeLabel ?? 'your choice'}, and so does the top of every page when JavaScript is on.</p>`
    : '';
  const current = vm.now
    ? html`${renderNow(vm.now, 48, 'weather-now weather-now-large')}
<p>${vm.placeLabel}${vm.sourceText ? html` <span class="weather-source">(${vm.sourceText})</span>` : ''}</p>`
    : html`<p class="weather-message">The weather is not available right now.</p>`;
  const forget = vm.chosen
    ? html`<form class="weather-form" method="post" action="${PAGE_PATH}">
${backField(vm.back)}<button type="submit" name="action" value="forget">Forget my city</button>
</form>`
    : '';
  const back = vm.back ? html`<p><a href="${safeUrl(vm.back)}">Back to the page you were reading</a></p>` : '';
  return html`<h1>Weather</h1>
${saved}<section class="weather-page-section" aria-labelledby="weather-now-heading">
<h2 id="weather-now-heading">Now${vm.now && vm.placeLabel ? html` in ${vm.now.city}` : ''}</h2>
${current}
</section>
<section class="weather-page-section" aria-labelledby="weather-search-heading">
<h2 id="weather-search-heading">Change city</h2>
<form class="weather-form weather-search" method="get" action="${PAGE_PATH}" role="search">
<label for="weather-q">City</label>
<input type="search" id="weather-q" name="q"${attr('value', vm.query)} required minlength="2" maxlength="100" autocomplete="address-level2">
${backField(vm.back)}<button type="submit">Search</button>
</form>
${renderMatches(vm)}
</section>
<section class="weather-page-section" aria-labelledby="weather-units-heading">
<h2 id="weather-units-heading">Units</h2>
<form class="weather-form" method="post" action="${PAGE_PATH}">
<fieldset>
<legend>Show temperatures in</legend>
${unitChoices(vm.units, 'units')}
</fieldset>
${backField(vm.back)}<button type="submit" name="action" value="units">Save units</button>
</form>
${forget}
</section>
${back}`;
}
