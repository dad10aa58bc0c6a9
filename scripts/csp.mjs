// The lab's Content-Security-Policy: nothing runs or loads from another origin, nothing is sent
// anywhere. index.html carries META_CSP as a meta element (for static hosts, which send no
// headers); scripts/serve.mjs sends HEADER_CSP, which adds frame-ancestors 'none' (no framing:
// clickjacking), a directive a meta element cannot carry. tests/e2e/dist.spec.js checks that
// index.html's meta element says exactly META_CSP.
export const META_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const HEADER_CSP = `${META_CSP}; frame-ancestors 'none'`;

/**
 * The files whose responses carry the policy (and Cross-Origin-Opener-Policy): those that become a
 * document (the page; an SVG or anything else opened as a page), whose policy comes from its own
 * response, and the workers' entry scripts, whose policy also comes from their own response, not
 * from the page that starts them (www/boot.js and www/data-client.js start them; serve.mjs sends
 * sw.js itself). Modules, style sheets, fonts and wasm run under the policy of the document or
 * worker that loads them, where the header has no effect; without it each of the page's ~100 such
 * responses is about 350 bytes smaller (docs/speed.md). tests/e2e/privacy.spec.js checks that the
 * page and every worker it started came with the policy.
 * @param {string} path the URL path, e.g. /www/worker.js
 */
export const carriesPolicy = (path) => !/\.(m?js|css|woff2|wasm|json|xz|png|webmanifest)$/.test(path) || /^\/www\/(data-)?worker\.js$/.test(path);

/**
 * The header of the embed view (index.html?embed=<section>, www/view.js) only: the same policy, but
 * the page may be framed by `ancestors` (serve.mjs --embed-origins; `*` = any course page).
 * @param {string} [ancestors] a frame-ancestors source list
 */
export const embedCsp = (ancestors = '*') => `${META_CSP}; frame-ancestors ${ancestors}`;

/** A frame-ancestors source list from --embed-origins ("*" or origins, comma- or space-separated); throws on anything else. */
export function embedAncestors(list) {
  const items = list.split(/[\s,]+/).filter(Boolean);
  const bad = items.filter((o) => o !== '*' && !/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o));
  if (!items.length || bad.length) throw new Error(`--embed-origins takes * or origins such as https://course.example.edu; got ${JSON.stringify(list)}`);
  return items.join(' ');
}
