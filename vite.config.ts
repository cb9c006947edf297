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
    // the lab, and an example page that embeds it (dist/embed.html)
    rollupOptions: { input: { main: fileURLToPath(new URL('./web/index.html', import.meta.url)), embed: fileURLToPath(new URL('./web/embed.html', import.meta.url)) } },
  },
  worker: { format: 'es' },
  resolve: { alias: { '@normlab': fileURLToPath(new URL('./build-wasm/normlab.mjs', import.meta.url)) } },
  server: { fs: { allow: ['.'] } },
});
