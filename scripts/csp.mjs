// The Content-Security-Policy the lab ships with, in one place. vite.config.ts writes it into every built page
// as a <meta> tag (static hosts cannot send headers), scripts/serve.mjs (npm start) also sends it as a header,
// and the e2e tests check the page works under both with no violation.
//   PAGE_CSP: no inline script, no eval; WebAssembly may compile ('wasm-unsafe-eval'); scripts, workers, the wasm
//   module, stylesheets, KaTeX's fonts and frames (dist/embed.html) come from the page's own origin only.
//   There is no frame-ancestors (it would be ignored in a meta tag anyway): the lab is made to be framed by any
//   tutorial, and its messages are guarded by their origin (web/page/embed.ts).
import { createHash } from 'node:crypto';

export const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

// The single file (scripts/build-single.mjs) works from file://, where 'self' means nothing useful: its one
// script and one stylesheet are inline, allowed by their hashes; its workers are blob: URLs and its wasm module
// a data: URL; nothing else may load.
export function singleFileCsp({ script, style }) {
  const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return [
    "default-src 'none'",
    `script-src ${hash(script)} 'wasm-unsafe-eval'`,
    `style-src ${hash(style)}`,
    'worker-src blob:',
    'connect-src data:',
  ].join('; ');
}

// The tag that carries a policy in a page's <head> (before any script or stylesheet).
export const cspMeta = (policy) => `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
