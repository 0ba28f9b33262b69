import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { directionOf, format, loadStrings, locales, pickLocale } from './index.js';

describe('locales', () => {
  it('ships English and at least nineteen translations, three of them right to left', () => {
    expect(locales.length).toBeGreaterThanOrEqual(20);
    expect(locales).toEqual(expect.arrayContaining(['en', 'es', 'fr', 'de', 'ja', 'ar', 'zh', 'he', 'fa']));
    expect(locales.filter((code) => directionOf(code) === 'rtl')).toEqual(['ar', 'fa', 'he']);
  });

  it('translates every string, keeps every placeholder and leaves none empty', async () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const code of locales) {
      const strings = await loadStrings(code);
      expect(Object.keys(strings).sort(), code).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(strings)) {
        expect(value.trim(), `${code}.${key}`).not.toBe('');
        expect(placeholders(value), `${code}.${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('picks the first language it has, by primary subtag, else English', () => {
    expect(pickLocale([undefined, 'es-MX', 'fr'])).toBe('es');
    expect(pickLocale(['', 'xx-YY', 'de-AT'])).toBe('de');
    expect(pickLocale(['pt-BR'])).toBe('pt');
    expect(pickLocale(['zh-Hans-CN'])).toBe('zh');
    expect(pickLocale(['xx'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('knows the writing direction of a language tag', () => {
    expect(directionOf('ar-EG')).toBe('rtl');
    expect(directionOf('he')).toBe('rtl');
    expect(directionOf('en-US')).toBe('ltr');
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(format('{name} is larger than {size}', { name: 'a.png', size: '1 MB' })).toBe(
      'a.png is larger than 1 MB',
    );
    expect(format('{missing}', {})).toBe('{missing}');
  });

  it('falls back to English for a language it cannot load', async () => {
    expect(await loadStrings('xx')).toBe(en);
  });
});
