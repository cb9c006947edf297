// The lab page: root web/, every URL relative (works under any sub-path, from any static host).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

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
  worker: { format: 'es' },
  resolve: {
    alias: {
      '@normlab': fileURLToPath(new URL('./build-wasm/normlab.mjs', import.meta.url)),
      '@workers': fileURLToPath(new URL('./web/engine/workers.ts', import.meta.url)),
    },
  },
  server: { fs: { allow: ['.'] } },
});
