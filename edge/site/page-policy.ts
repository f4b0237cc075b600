/**
 * The Content-Security-Policy of the console (/admin) and the API reference
 * (/docs): scripts, styles and calls from this origin only, no inline code,
 * no framing. Both pages may hold a token.
 */
export const CONSOLE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
