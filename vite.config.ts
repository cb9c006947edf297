// The lab page: root web/, every URL relative (works under any sub-path, from any static host).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { PAGE_CSP, cspMeta } from './scripts/csp.mjs';

export default defineConfig({
  root: 'web',
  base: './',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0, // no data: URLs (KaTeX's small fonts): the CSP allows fonts from 'self' only
    // the lab, an example page that embeds it (dist/embed.html), and the <norm-lab> element
    // (dist/normlab-element.js, a stable name to put in a <script> tag)
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        embed: fileURLToPath(new URL('./web/embed.html', import.meta.url)),
        element: fileURLToPath(new URL('./web/page/element.ts', import.meta.url)),
      },
      output: { entryFileNames: (chunk) => (chunk.name === 'element' ? 'normlab-element.js' : 'assets/[name]-[hash].js') },
    },
  },
  // Every built page carries the Content-Security-Policy as a <meta> tag (scripts/csp.mjs). Not in the dev server
  // (npx vite), which injects inline styles and scripts.
  plugins: [{
    name: 'normlab-csp',
    apply: 'build',
    transformIndexHtml(html: string) {
      if (!html.includes('<meta charset="utf-8">')) throw new Error('normlab-csp: a page without <meta charset="utf-8">');
      return html.replace('<meta charset="utf-8">', (m) => `${m}\n  ${cspMeta(PAGE_CSP)}`);
    },
  }],
  worker: { format: 'es' },
  resolve: {
    alias: {
      '@normlab': fileURLToPath(new URL('./build-wasm/normlab.mjs', import.meta.url)),
      '@workers': fileURLToPath(new URL('./web/engine/workers.ts', import.meta.url)),
    },
  },
  server: { fs: { allow: ['.'] } },
});
