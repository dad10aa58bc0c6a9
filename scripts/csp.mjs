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
