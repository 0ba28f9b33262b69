/**
 * @module Locale selection: English is built in; translations load on demand, so a page pays only for
 * the language it shows.
 */
import { en, type Strings } from './en.js';

export { en, format, type Strings } from './en.js';

type Loader = () => Promise<{ default: Strings }>;

/** The translations that ship with the widget, loaded on first use. */
const loaders: Record<string, Loader> = {
  ar: () => import('./ar.js'),
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  fa: () => import('./fa.js'),
  fr: () => import('./fr.js'),
  he: () => import('./he.js'),
  hi: () => import('./hi.js'),
  id: () => import('./id.js'),
  it: () => import('./it.js'),
  ja: () => import('./ja.js'),
  ko: () => import('./ko.js'),
  nl: () => import('./nl.js'),
  pl: () => import('./pl.js'),
  pt: () => import('./pt.js'),
  ru: () => import('./ru.js'),
  sv: () => import('./sv.js'),
  tr: () => import('./tr.js'),
  uk: () => import('./uk.js'),
  vi: () => import('./vi.js'),
  zh: () => import('./zh.js'),
};

/** The language codes the widget has strings for. */
export const locales: readonly string[] = ['en', ...Object.keys(loaders)];

const rtlLanguages = ['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug'];

/** The primary language subtag, lower case: `es-MX` → `es`. */
export const primaryLanguage = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/** The writing direction of a language tag. */
export const directionOf = (tag: string): 'ltr' | 'rtl' =>
  rtlLanguages.includes(primaryLanguage(tag)) ? 'rtl' : 'ltr';

/**
 * The language the widget should speak: the first of `candidates` (its `lang` attribute, the page's
 * `<html lang>`, the browser's languages) that it has strings for, else English.
 */
export const pickLocale = (candidates: ReadonlyArray<string | null | undefined>): string =>
  candidates.map((tag) => primaryLanguage(tag ?? '')).find((code) => locales.includes(code)) ?? 'en';

/** The strings of a locale code from {@link pickLocale}; English when it cannot be loaded. */
export const loadStrings = async (code: string): Promise<Strings> => {
  try {
    // English, like any code without a translation, has no loader.
    return (await loaders[code]?.())?.default ?? en;
  } catch {
    return en;
  }
};
