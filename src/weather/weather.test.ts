import { describe, expect, it } from 'vitest';
import {
  convert,
  describeWeather,
  formatTemperature,
  fromMetSymbol,
  fromWmoCode,
  iconFor,
  isPlausibleTemperature,
  isValidCoordinates,
  locationKey,
  normaliseQuery,
  placeLabel,
  roundCoordinates,
} from './weather.js';

describe('WMO weather codes', () => {
  it.each([
    [0, 'clear', 'clear sky'],
    [2, 'partly-cloudy', 'partly cloudy'],
    [3, 'overcast', 'overcast'],
    [48, 'fog', 'freezing fog'],
    [55, 'drizzle', 'dense drizzle'],
    [66, 'freezing-rain', 'light freezing rain'],
    [73, 'snow', 'snow'],
    [82, 'rain-showers', 'violent rain showers'],
    [86, 'snow-showers', 'heavy snow showers'],
    [95, 'thunderstorm', 'thunderstorm'],
    [99, 'thunderstorm-hail', 'thunderstorm with heavy hail'],
  ])('reads code %i as %s ("%s")', (code, id, text) => {
    expect(fromWmoCode(code)).toEqual({ id, text });
  });

  it('knows every code Open-Meteo documents and nothing else', () => {
    const documented = [
      0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 71, 73, 75, 77, 80, 81, 82, 85, 86, 95, 96, 99,
    ];
    for (let code = -1; code <= 100; code++) {
      expect(fromWmoCode(code) !== undefined, `code ${code}`).toBe(documented.includes(code));
    }
  });
});

describe('MET Norway symbol codes', () => {
  it.each([
    ['clearsky_day', 'clear', 'clear sky', true],
    ['clearsky_night', 'clear', 'clear sky', false],
    ['clearsky_polartwilight', 'clear', 'clear sky', true],
    ['fair_night', 'mainly-clear', 'mainly clear', false],
    ['partlycloudy_day', 'partly-cloudy', 'partly cloudy', true],
    ['cloudy', 'overcast', 'overcast', true],
    ['fog', 'fog', 'fog', true],
    ['lightrain', 'rain', 'light rain', true],
    ['heavyrain', 'rain', 'heavy rain', true],
    ['rainshowers_night', 'rain-showers', 'rain showers', false],
    ['lightsleet', 'sleet', 'light sleet', true],
    ['heavysleetshowers_day', 'sleet-showers', 'heavy sleet showers', true],
    ['snow', 'snow', 'snow', true],
    ['lightsnowshowers_day', 'snow-showers', 'light snow showers', true],
    ['rainandthunder', 'thunderstorm', 'rain and thunder', true],
    ['heavysnowshowersandthunder_night', 'thunderstorm', 'heavy snow and thunder', false],
    // Spelled this way in MET's own symbol list.
    ['lightssleetshowersandthunder_day', 'thunderstorm', 'light sleet and thunder', true],
  ])('maps %s to %s', (symbol, id, text, isDay) => {
    expect(fromMetSymbol(symbol)).toEqual({ condition: { id, text }, isDay });
  });

  it.each(['', 'sunny', 'CLOUDY', 'cloudy_evening', 'rain;drop table', 'lightfog'])('does not know %j', (symbol) => {
    expect(fromMetSymbol(symbol)).toBeUndefined();
  });
});

describe('icons', () => {
  it('tells day from night only where the sky shows', () => {
    expect(iconFor('clear', true)).toBe('clear-day');
    expect(iconFor('mainly-clear', false)).toBe('clear-night');
    expect(iconFor('partly-cloudy', false)).toBe('partly-cloudy-night');
    expect(iconFor('overcast', false)).toBe('cloudy');
    expect(iconFor('freezing-drizzle', true)).toBe('drizzle');
    expect(iconFor('sleet-showers', true)).toBe('sleet');
    expect(iconFor('snow-grains', true)).toBe('snow');
    expect(iconFor('thunderstorm-hail', true)).toBe('thunder');
  });
});

describe('units and words', () => {
  it('converts to Fahrenheit and rounds to one decimal', () => {
    expect(convert(3.8, 'celsius')).toBe(3.8);
    expect(convert(3.8, 'fahrenheit')).toBe(38.8);
    expect(convert(-40, 'fahrenheit')).toBe(-40);
    expect(convert(100 / 3, 'celsius')).toBe(33.3);
    expect(Object.is(convert(-0.04, 'celsius'), 0)).toBe(true);
  });

  it('writes temperatures with one decimal and a true minus sign', () => {
    expect(formatTemperature(3.8)).toBe('3.8');
    expect(formatTemperature(-2)).toBe('\u22122.0');
    expect(formatTemperature(0)).toBe('0.0');
  });

  it('describes a reading for the eye and for the ear', () => {
    const reading = { temperatureC: 3.8, condition: fromWmoCode(3)!, isDay: true };
    expect(describeWeather(reading, 'celsius', 'New York')).toEqual({
      temperature: '3.8',
      value: 3.8,
      unitSymbol: '°C',
      conditionText: 'Overcast',
      icon: 'cloudy',
      label: '3.8 degrees Celsius, overcast, in New York',
    });
    const cold = describeWeather({ ...reading, temperatureC: -20, condition: fromWmoCode(71)! }, 'fahrenheit', 'Oslo');
    expect(cold.temperature).toBe('\u22124.0');
    expect(cold.label).toBe('minus 4.0 degrees Fahrenheit, light snow, in Oslo');
  });

  it('labels places with region and country, without repeating the name', () => {
    expect(placeLabel({ name: 'Paris', admin1: 'Île-de-France', country: 'France', latitude: 0, longitude: 0 })).toBe(
      'Paris, Île-de-France, France',
    );
    expect(
      placeLabel({ name: 'Singapore', admin1: 'Singapore', country: 'Singapore', latitude: 0, longitude: 0 }),
    ).toBe('Singapore, Singapore');
    expect(placeLabel({ name: 'Somewhere', latitude: 0, longitude: 0 })).toBe('Somewhere');
  });
});

describe('coordinates and queries', () => {
  it('keys nearby coordinates together at two decimals', () => {
    expect(locationKey({ latitude: 40.71427, longitude: -74.00597 })).toBe('40.71,-74.01');
    expect(locationKey({ latitude: 40.7149, longitude: -74.0051 })).toBe('40.71,-74.01');
    expect(roundCoordinates({ latitude: 59.913868, longitude: 10.752245 })).toEqual({
      latitude: 59.9139,
      longitude: 10.7522,
    });
  });

  it('accepts only coordinates on Earth', () => {
    expect(isValidCoordinates({ latitude: 90, longitude: -180 })).toBe(true);
    expect(isValidCoordinates({ latitude: 90.1, longitude: 0 })).toBe(false);
    expect(isValidCoordinates({ latitude: 0, longitude: Number.NaN })).toBe(false);
  });

  it('rejects implausible temperatures', () => {
    expect(isPlausibleTemperature(21.5)).toBe(true);
    expect(isPlausibleTemperature(-89.2)).toBe(true);
    expect(isPlausibleTemperature(999)).toBe(false);
    expect(isPlausibleTemperature(Number.NaN)).toBe(false);
  });

  it('normalises typed city names into one search key', () => {
    expect(normaliseQuery('  New   York ')).toBe('new york');
    expect(normaliseQuery('MÜNCHEN')).toBe('münchen');
  });
});
