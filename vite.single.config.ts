// dist/normlab-single.html (npm run build, npm run build:single): the lab as one HTML file that works from disk
// (file://), for classrooms without a network. Everything is inlined: the workers (blob: URLs), the wasm module (a
// data: URL), the stylesheet; scripts/build-single.mjs then puts the one script and the one stylesheet into the HTML.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: 'web',
  base: './',
  build: {
    outDir: '../build-single',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: () => true,
    cssCodeSplit: false,
    modulePreload: false,
    chunkSizeWarningLimit: 4000, // kB: the one chunk is the whole lab, by design
    rollupOptions: {
      input: { single: fileURLToPath(new URL('./web/single.html', import.meta.url)) },
      output: { codeSplitting: false },
    },
  },
  worker: { format: 'iife' }, // classic workers: a file:// page cannot start module workers from blob: URLs
  resolve: {
    alias: {
      '@normlab': fileURLToPath(new URL('./build-wasm/normlab.mjs', import.meta.url)),
      '@workers': fileURLToPath(new URL('./web/engine/workers-inline.ts', import.meta.url)),
    },
  },
});
