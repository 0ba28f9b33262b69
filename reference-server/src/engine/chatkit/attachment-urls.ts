import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed attachment URL lets its holder do. */
export type AttachmentUrlPurpose = 'upload' | 'preview';

/**
 * Signs and checks the URLs of attachment bytes. Upload and preview URLs carry their own expiring
 * HMAC signature, so an `<img>` tag or a plain multipart POST needs no Authorization header, and a
 * URL grants exactly one purpose on exactly one attachment.
 */
export class AttachmentUrlSigner {
  readonly #secret: Buffer;
  readonly #ttlSeconds: number;

  constructor(secret: string | Buffer, ttlSeconds = 3600) {
    this.#secret = Buffer.from(`attachment-url:${secret.toString()}`);
    this.#ttlSeconds = ttlSeconds;
  }

  #signature(id: string, purpose: AttachmentUrlPurpose, expires: string): Buffer {
    return createHmac('sha256', this.#secret).update(`${purpose}\n${id}\n${expires}`).digest();
  }

  /** The absolute URL of `purpose` for the attachment. */
  url(
    baseUrl: string,
    attachment: { id: string },
    purpose: AttachmentUrlPurpose,
    nowMs = Date.now(),
  ): string {
    const expires = String(Math.floor(nowMs / 1000) + this.#ttlSeconds);
    const sig = this.#signature(attachment.id, purpose, expires).toString('base64url');
    const url = new URL(`/chatkit/attachments/${encodeURIComponent(attachment.id)}/${purpose}`, baseUrl);
    url.searchParams.set('expires', expires);
    url.searchParams.set('sig', sig);
    return url.toString();
  }

  /** Why a signature is not acceptable, or undefined when it is. */
  check(
    id: string,
    purpose: AttachmentUrlPurpose,
    expires: string,
    sig: string,
    nowMs = Date.now(),
  ): 'expired' | 'invalid' | undefined {
    if (!/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = this.#signature(id, purpose, expires);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    if (Number(expires) * 1000 < nowMs) return 'expired';
    return undefined;
  }
}
