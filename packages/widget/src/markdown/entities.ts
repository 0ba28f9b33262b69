/**
 * Character references in text that marked leaves for a browser's HTML parser to decode. We never hand
 * model text to an HTML parser, so we decode them here: all numeric references and the named ones models
 * actually write. Unknown names stay as typed, which is also what a reader sees when they are misspelt.
 */
/**
 * The names we decode, each followed by the one character it stands for (names are letters and digits,
 * the characters never are): the references models write (quotes, dashes, spaces, arrows, common signs
 * and fractions) and the punctuation names HTML5 added, which attackers use to hide a URL scheme
 * (`javascript&colon;`). One string rather than an object literal, to keep the script-tag file small.
 */
const table =
  'amp&lt<gt>quot"apos\'nbsp\u00a0ensp\u2002emsp\u2003thinsp\u2009zwnj\u200czwj\u200dshy\u00ad' +
  'copy©reg®trade™deg°plusmn±times×divide÷microµmiddot·para¶sect§cent¢pound£yen¥euro€' +
  'laquo«raquo»lsquo‘rsquo’ldquo“rdquo”ndash–mdash—hellip…bull•' +
  'larr←rarr→uarr↑darr↓harr↔lArr⇐rArr⇒hArr⇔le≤ge≥ne≠asymp≈infin∞minus−' +
  'frac12½frac14¼frac34¾sup2²sup3³check✓' +
  'colon:semi;comma,period.excl!quest?num#percnt%commat@sol/bsol\\lpar(rpar)lsqb[rsqb]lcub{rcub}' +
  'equals=plus+ast*lowbar_grave`verbar|Tab\tNewLine\n';

const named = new Map(Array.from(table.matchAll(/([a-z\d]+)([^a-z\d])/gi), (m) => [m[1], m[2]]));

// Case-insensitive: names are looked up as typed, so `&AMP;` stays as it is.
const reference = /&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z][a-z\d]{1,31}));/gi;

/**
 * Decodes HTML character references once, left to right: numeric ones (invalid code points become
 * U+FFFD, as HTML does) and a fixed table of common names. The result is plain text for a text node or
 * for URL checking; it is never parsed as HTML.
 *
 * @example
 * decodeEntities('a &amp; b &#x3C; &copy;'); // 'a & b < ©'
 */
export function decodeEntities(text: string): string {
  return text.replace(reference, (match, dec: string | undefined, hex: string | undefined, name?: string) => {
    if (name !== undefined) return named.get(name) ?? match;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}
