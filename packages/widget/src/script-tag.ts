/**
 * @module The entry of the script-tag build (`cartrita-chat.js`): defines `<cartrita-chat>` on load
 * and makes the element default to the server the script came from.
 */
import { CartritaChat } from './components/cartrita-chat/cartrita-chat.js';
import './define.js';

/** The URL this script was loaded from: lazily loaded files and the default API live next to it. */
declare const __cartritaScriptUrl: string | undefined;

if (typeof __cartritaScriptUrl === 'string' && __cartritaScriptUrl) {
  try {
    CartritaChat.defaultApiUrl = new URL(__cartritaScriptUrl).origin;
  } catch {
    // Not a URL: keep the page's origin as the default.
  }
}

export { CartritaChat };
