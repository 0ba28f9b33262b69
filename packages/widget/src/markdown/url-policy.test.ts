import { describe, expect, it } from 'vitest';
import { normalizeOrigins, safeImageUrl, safeLinkUrl } from './url-policy.js';

describe('safeLinkUrl', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['HTTPS://Example.COM/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['https:example.com', 'https://example.com/'],
    ['mailto:me@example.com?subject=hi', 'mailto:me@example.com?subject=hi'],
    ['https://例え.jp/パス', 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9'],
  ])('allows %j as %j', (input, expected) => {
    expect(safeLinkUrl(input)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'javascript://%0aalert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'blob:https://example.com/uuid',
    'about:blank',
    'tel:123',
    'ftp://example.com',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\u0000script:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    '\u200bjavascript:alert(1)',
    '\u202ehttps://example.com',
    'https://exa mple.com',
    'https://example.com/\u00a0',
    'ｊａｖａｓｃｒｉｐｔ:alert(1)',
    '&#106;avascript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'https://good.example@evil.example/',
    'https://user:pass@example.com/',
    'https://',
    'http://[::1',
    '',
  ])('refuses %j', (input) => {
    expect(safeLinkUrl(input)).toBeNull();
  });

  it('refuses relative URLs without a base', () => {
    expect(safeLinkUrl('/docs')).toBeNull();
    expect(safeLinkUrl('docs/page')).toBeNull();
    expect(safeLinkUrl('#top')).toBeNull();
  });

  it('resolves relative URLs against an http base', () => {
    const base = 'https://app.example/chat/1';
    expect(safeLinkUrl('/docs', base)).toBe('https://app.example/docs');
    expect(safeLinkUrl('page?x=1', base)).toBe('https://app.example/chat/page?x=1');
    expect(safeLinkUrl('a/b:c', base)).toBe('https://app.example/chat/a/b:c');
  });

  it('refuses protocol-relative URLs and non-http bases', () => {
    const base = 'https://app.example/';
    for (const input of ['//evil.example', '\\\\evil.example', '/\\evil.example', '\\/evil.example']) {
      expect(safeLinkUrl(input, base)).toBeNull();
    }
    expect(safeLinkUrl('/docs', 'file:///home/')).toBeNull();
    expect(safeLinkUrl('/docs', 'not a url')).toBeNull();
  });

  it('refuses a would-be scheme that is not a scheme', () => {
    expect(safeLinkUrl('java&script:alert(1)', 'https://app.example/')).toBeNull();
    expect(safeLinkUrl('java%73cript:alert(1)', 'https://app.example/')).toBeNull();
    expect(safeLinkUrl('%6Aavascript:alert(1)', 'https://app.example/')).toBeNull();
  });
});

describe('safeImageUrl', () => {
  const origins = normalizeOrigins(['https://img.example', 'HTTPS://CDN.example:443/path', 'data:x', 'nope']);

  it('normalises allowed origins and drops anything that is not http', () => {
    expect([...origins]).toEqual(['https://img.example', 'https://cdn.example']);
  });

  it('allows images from an allowed origin', () => {
    expect(safeImageUrl('https://img.example/a.png', origins)).toBe('https://img.example/a.png');
    expect(safeImageUrl('https://cdn.example/b.png?x=1', origins)).toBe('https://cdn.example/b.png?x=1');
    expect(safeImageUrl('https://img.example/a.png', ['https://img.example/'])).toBe(
      'https://img.example/a.png',
    );
  });

  it.each([
    'https://evil.example/a.png',
    'http://img.example/a.png',
    'https://img.example:8443/a.png',
    'https://img.example.evil.example/a.png',
    'https://sub.img.example/a.png',
    'https://img.example@evil.example/a.png',
    '//img.example/a.png',
    'data:image/png;base64,iVBORw0KGgo=',
    'javascript:alert(1)',
    'blob:https://img.example/uuid',
    'https://img.example/a b.png',
  ])('refuses %j', (input) => {
    expect(safeImageUrl(input, origins)).toBeNull();
  });

  it('refuses everything when no origin is allowed', () => {
    expect(safeImageUrl('https://img.example/a.png', [])).toBeNull();
  });

  it('resolves relative sources against the base before checking the origin', () => {
    expect(safeImageUrl('/a.png', origins, 'https://img.example/chat/')).toBe('https://img.example/a.png');
    expect(safeImageUrl('/a.png', origins, 'https://app.example/')).toBeNull();
  });
});
