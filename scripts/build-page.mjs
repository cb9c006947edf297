// npm run build, after the wasm module (scripts/build-wasm.sh): everything a static host needs, in dist/ (the list
// is scripts/site.mjs), every URL relative.
//   1. Vite (vite.config.ts): index.html, embed.html, normlab-element.js and assets/ (emptying dist/ first)
//   2. embed.js: web/page/embed-host.ts as one classic script (an IIFE), for the tutorial page's <script src>
//   3. normlab-single.html (scripts/build-single.mjs)
//   4. tutorial/: examples/tutorial/ as it is (its pages load ../normlab-element.js)
// npm start and npm test run it too.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { buildSingle } from './build-single.mjs';
import { copyFileSync, mkdirSync } from 'node:fs';
import { EMBED_HELPER, TUTORIAL, TUTORIAL_DIR } from './site.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root); // vite.config.ts's root ('web') is relative to the working directory

await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'web/page/embed-host.ts', formats: ['iife'], name: 'normlabEmbed', fileName: () => EMBED_HELPER },
  },
});
buildSingle();
mkdirSync(`dist/${TUTORIAL_DIR}`, { recursive: true });
for (const file of TUTORIAL) copyFileSync(`examples/tutorial/${file}`, `dist/${TUTORIAL_DIR}/${file}`);
