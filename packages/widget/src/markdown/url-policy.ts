/**
 * Which URLs the renderer lets into `href` and `src`. Both functions return the URL as the WHATWG parser
 * serialises it (the same string a browser would follow) or `null`, and the renderer only ever writes
 * that returned string, so what was checked is what lands in the attribute.
 */

const linkProtocols: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const imageProtocols: ReadonlySet<string> = new Set(['http:', 'https:']);

// C0 and C1 controls, every ASCII and Unicode space, soft hyphen and the invisible format characters
// (zero-width, bidi overrides, word joiners, BOM). A URL parser strips or ignores some of them, which is
// exactly how `java\tscript:` gets past naive prefix checks; a link a model wrote has no use for any.
const hiddenCharacter = /[\0- \x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;
// `//host` and its backslash spellings switch host while looking relative.
const protocolRelative = /^[\\/]{2}/;
// Everything before the first `:` that comes before any `/`, `?` or `#`: a would-be scheme.
const schemePrefix = /^([^/?#\\]*?):/;
const validScheme = /^[a-z][a-z0-9+.-]*$/i;

function parse(raw: string, baseUrl: string | undefined, protocols: ReadonlySet<string>): URL | null {
  if (raw === '' || hiddenCharacter.test(raw)) return null;
  const scheme = schemePrefix.exec(raw)?.[1];
  if (scheme !== undefined && !validScheme.test(scheme)) return null;
  let url: URL;
  try {
    if (scheme !== undefined) {
      url = new URL(raw);
    } else {
      if (baseUrl === undefined || protocolRelative.test(raw)) return null;
      const base = new URL(baseUrl);
      if (!imageProtocols.has(base.protocol)) return null;
      url = new URL(raw, base);
    }
  } catch {
    return null;
  }
  if (!protocols.has(url.protocol)) return null;
  // `https://trusted.example@evil.example` shows one host and goes to another.
  if (url.username !== '' || url.password !== '') return null;
  return url;
}

/**
 * Checks a link destination: `http:`, `https:` and `mailto:` only, no credentials, no control or invisible
 * characters, no protocol-relative form; relative URLs only when `baseUrl` is given. Decode character
 * references before calling (the renderer does), so `&#106;avascript:` is seen as `javascript:`.
 *
 * @returns the serialised URL to put in `href`, or `null` when the link must render as plain text.
 * @example
 * safeLinkUrl('HTTPS://Example.com/a'); // 'https://example.com/a'
 * safeLinkUrl('java\tscript:alert(1)'); // null
 * safeLinkUrl('/docs', 'https://example.com/chat'); // 'https://example.com/docs'
 */
export function safeLinkUrl(href: string, baseUrl?: string): string | null {
  return parse(href, baseUrl, linkProtocols)?.href ?? null;
}

/**
 * Normalises a list of allowed image origins: each entry is parsed as a URL and reduced to its origin;
 * entries that are not `http:`/`https:` URLs are dropped.
 */
export function normalizeOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  const result = new Set<string>();
  for (const origin of origins ?? []) {
    try {
      const url = new URL(origin);
      if (imageProtocols.has(url.protocol)) result.add(url.origin);
    } catch {
      // Not a URL: it allows nothing.
    }
  }
  return result;
}

/**
 * Checks an image source: `http:`/`https:` only, with the same hygiene as {@link safeLinkUrl}, and its
 * origin must be one of `allowedOrigins` (exact match after normalisation, see {@link normalizeOrigins}).
 *
 * @returns the serialised URL to put in `src`, or `null` when the image must not load.
 */
export function safeImageUrl(
  src: string,
  allowedOrigins: ReadonlySet<string> | readonly string[],
  baseUrl?: string,
): string | null {
  const allowed =
    allowedOrigins instanceof Set ? allowedOrigins : normalizeOrigins(allowedOrigins as readonly string[]);
  if (allowed.size === 0) return null;
  const url = parse(src, baseUrl, imageProtocols);
  return url !== null && allowed.has(url.origin) ? url.href : null;
}
