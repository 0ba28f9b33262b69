import { Lexer, type Token, Tokenizer } from 'marked';

/**
 * Reference definitions (`[1]: https://...`) are not supported: a definition may arrive after the
 * paragraph that uses it, and a streamed reply never re-renders a finished paragraph, so resolving them
 * would make the streamed and the one-shot render differ. With this tokenizer a definition is ordinary
 * paragraph text (its URL still autolinks) and `[text][1]` stays literal, in both renders alike.
 * The script-tag build relies on it: it leaves marked's own `def` tokenizer and rule out, and
 * specialises marked for the options below (`rollup.config.mjs`).
 */
class ChatTokenizer extends Tokenizer {
  override def(): undefined {
    return undefined;
  }
}

/**
 * Lexes markdown into marked's block tokens (GFM on, no `breaks`, no pedantic mode), with a private lexer
 * configuration so that `marked.use(...)` calls elsewhere on the page cannot change what we render.
 */
export function lexMarkdown(text: string): Token[] {
  const lexer = new Lexer({ gfm: true, breaks: false, pedantic: false, tokenizer: new ChatTokenizer() });
  return lexer.lex(text);
}
