/**
 * The Content-Security-Policy of the console (/admin) and the API reference
 * (/docs): scripts, styles and calls from this origin only, no inline code,
 * no framing (the console frames only its own preview). Both pages may hold a token.
 */
export const CONSOLE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The experience preview (/admin/preview.html), framed by the console in a
 * sandbox (opaque origin): scripts from here only, no network, images from
 * anywhere a widget may point at; only the console may frame it.
 */
export const PREVIEW_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'";
