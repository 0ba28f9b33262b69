/** @module Signed URLs of attachment bytes: capabilities for one purpose on one attachment, until they expire. */
import type { Signer } from '../signer.js';

/** What a signed attachment URL lets its holder do. */
export type AttachmentUrlPurpose = 'upload' | 'preview';

/** Why a signed URL is refused. */
export type AttachmentUrlProblem = 'expired' | 'invalid';

/**
 * Signs and checks the URLs of attachment bytes. Upload and preview URLs carry their own expiring
 * HMAC signature, so an `<img>` tag or a plain multipart POST needs no Authorization header, and a
 * URL grants exactly one purpose on exactly one attachment.
 */
export class AttachmentUrlSigner {
  readonly #signer: Signer;
  readonly #ttlSeconds: number;

  constructor(signer: Signer, ttlSeconds = 3600) {
    this.#signer = signer;
    this.#ttlSeconds = ttlSeconds;
  }

  /** The absolute URL of `purpose` for the attachment. */
  async url(
    baseUrl: string,
    attachment: { id: string },
    purpose: AttachmentUrlPurpose,
    nowMs = Date.now(),
  ): Promise<string> {
    const expires = String(Math.floor(nowMs / 1000) + this.#ttlSeconds);
    const sig = await this.#signer.sign('attachment-url', `${purpose}\n${attachment.id}\n${expires}`);
    const url = new URL(`/chatkit/attachments/${encodeURIComponent(attachment.id)}/${purpose}`, baseUrl);
    url.searchParams.set('expires', expires);
    url.searchParams.set('sig', sig);
    return url.toString();
  }

  /** Why a signature is not acceptable, or undefined when it is. */
  async check(
    id: string,
    purpose: AttachmentUrlPurpose,
    expires: string,
    sig: string,
    nowMs = Date.now(),
  ): Promise<AttachmentUrlProblem | undefined> {
    if (!/^\d{1,12}$/.test(expires)) return 'invalid';
    if (!(await this.#signer.verify('attachment-url', `${purpose}\n${id}\n${expires}`, sig)))
      return 'invalid';
    if (Number(expires) * 1000 < nowMs) return 'expired';
    return undefined;
  }
}
