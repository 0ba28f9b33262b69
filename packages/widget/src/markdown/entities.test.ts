import { expect, it } from 'vitest';
import { decodeEntities } from './entities.js';

it('decodes named, decimal and hexadecimal references', () => {
  expect(decodeEntities('&amp; &lt; &gt; &quot; &apos; &nbsp;&copy; &#65; &#x42; &#X43;')).toBe(
    '& < > " \' \u00a0© A B C',
  );
});

it('decodes only once, left to right', () => {
  expect(decodeEntities('&amp;lt; &amp;#106;')).toBe('&lt; &#106;');
});

it('leaves unknown names, missing semicolons and bare ampersands as typed', () => {
  expect(decodeEntities('&bogus; &amp AT&T & x')).toBe('&bogus; &amp AT&T & x');
  expect(decodeEntities('&constructor; &toString; &__proto__;')).toBe('&constructor; &toString; &__proto__;');
});

it('replaces invalid code points with the replacement character', () => {
  expect(decodeEntities('&#0; &#xD800; &#x110000;')).toBe('\ufffd \ufffd \ufffd');
});

it('decodes the punctuation names that hide URL schemes', () => {
  expect(decodeEntities('javascript&colon;alert&lpar;1&rpar; java&Tab;script')).toBe(
    'javascript:alert(1) java\tscript',
  );
});

it('decodes the typographic names, names with digits and the backslash', () => {
  expect(decodeEntities('&ldquo;a&rdquo; &mdash; b&hellip; &rarr; &frac12; &sup2; &bsol; &euro;5')).toBe(
    '“a” — b… → ½ ² \\ €5',
  );
});
