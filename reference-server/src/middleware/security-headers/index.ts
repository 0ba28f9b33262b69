/** @module The `security-headers` middleware: conservative response headers for an API. */
import type { NextFunction, Request, Response } from 'express';

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /**
   * `X-Frame-Options`: `DENY` (default), `SAMEORIGIN`, or `false` to allow framing anywhere (for a
   * page meant to be embedded in an iframe). The CSP's `frame-ancestors` follows it.
   */
  frameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  /**
   * `Content-Security-Policy`; default a policy that lets a JSON response load and run nothing. HTML
   * routes (the demo page, `/docs`) set their own. `false` sends none.
   */
  contentSecurityPolicy?: string | false;
  /**
   * `Cross-Origin-Resource-Policy`; default `same-origin`. Resources other sites embed without CORS
   * (the widget script, upload previews in `<img>`) need `cross-origin`, set on those routes.
   */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false;
  /** `Strict-Transport-Security`, for deployments served over HTTPS only; default none. */
  strictTransportSecurity?: string | false;
}

const frameAncestors = { DENY: "'none'", SAMEORIGIN: "'self'" } as const;

/**
 * Sets `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options`, a strict
 * `Content-Security-Policy` and `Cross-Origin-Resource-Policy`, and removes `X-Powered-By`. Routes
 * may overwrite any of them with `res.setHeader`.
 *
 * @example
 * app.use(securityHeaders());
 * app.get('/demo', (req, res) => { res.setHeader('Content-Security-Policy', demoPolicy); ... });
 */
export const securityHeaders = (options: SecurityHeadersOptions = {}) => {
  const frameOptions = options.frameOptions ?? 'DENY';
  if (frameOptions !== false && !(frameOptions in frameAncestors)) {
    throw new TypeError("securityHeaders: frameOptions must be 'DENY', 'SAMEORIGIN' or false");
  }
  const corp = options.crossOriginResourcePolicy ?? 'same-origin';
  if (corp !== false && !['same-origin', 'same-site', 'cross-origin'].includes(corp)) {
    throw new TypeError('securityHeaders: invalid crossOriginResourcePolicy');
  }
  const csp =
    options.contentSecurityPolicy ??
    [
      "default-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      frameOptions === false ? undefined : `frame-ancestors ${frameAncestors[frameOptions]}`,
    ]
      .filter((directive) => directive !== undefined)
      .join('; ');
  if (csp !== false && (typeof csp !== 'string' || /[\r\n]/.test(csp))) {
    throw new TypeError('securityHeaders: contentSecurityPolicy must be a one-line string or false');
  }
  const hsts = options.strictTransportSecurity ?? false;

  const headers: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
  ];
  if (frameOptions !== false) headers.push(['X-Frame-Options', frameOptions]);
  if (csp !== false) headers.push(['Content-Security-Policy', csp]);
  if (corp !== false) headers.push(['Cross-Origin-Resource-Policy', corp]);
  if (hsts !== false) headers.push(['Strict-Transport-Security', hsts]);

  return function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
    res.removeHeader('X-Powered-By');
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
};
