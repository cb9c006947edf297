// The element's part of the npm package (`normlab/element`), after npm run build: dist/normlab-element.js and the
// files it loads at run time, copied to element/ (a build output, not in git). They are found by following the
// element's relative references from file to file — its chunks, the two workers, the wasm module — so nothing else
// of dist/ comes along: not the page, its stylesheet or KaTeX's fonts (the element's formulas are MathML). The
// element names the page (index.html, where Copy link points) but never loads it: the package leaves it out, and a
// copied link opens index.html beside the element, which is there only when all of dist/ is served.
//   node scripts/build-package.mjs       (npm pack runs it as prepack, after npm run build)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELEMENT, PAGES } from './site.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(root, 'dist');
const PACKAGE_ELEMENT = join(root, 'element'); // package.json's exports['./element'] points into it

// The relative URLs a built script loads: static and dynamic imports, Vite's preload lists and
// new URL(…, import.meta.url) (the workers, the wasm module).
const REFERENCES = [/\bfrom\s*["'`]([^"'`]+)["'`]/g, /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
  /(?:^|[;}\s])import\s*["'`]([^"'`]+)["'`]/g, /new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url/g, /["'`](\.\/[^"'`]+\.js)["'`]/g];

// Every file `entry` (a path under `dir`) needs, itself included: paths under `dir`, in the order found. Links to
// the pages (`skip`) are not followed.
function closure(dir, entry, skip = PAGES) {
  const found = [entry];
  for (let i = 0; i < found.length; i++) {
    const file = found[i];
    if (!file.endsWith('.js')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const ref of REFERENCES.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]))) {
      if (/^([a-z]+:|\/)/i.test(ref)) continue; // data:, blob:, absolute: not a file of ours
      const path = normalize(join(dirname(file), ref.split(/[?#]/)[0]));
      if (skip.includes(path)) continue;
      if (path.startsWith('..')) throw new Error(`${file} refers to ${ref}, outside ${dir}`);
      if (!existsSync(join(dir, path))) throw new Error(`${file} refers to ${ref}, which is not in ${dir}`);
      if (!found.includes(path)) found.push(path);
    }
  }
  return found;
}

// Rebuilds element/ from dist/; returns the files copied (paths under element/).
export function buildPackage() {
  if (!existsSync(join(DIST, ELEMENT))) throw new Error(`no dist/${ELEMENT}: run npm run build first`);
  const files = closure(DIST, ELEMENT);
  const count = (pattern) => files.filter((f) => pattern.test(f)).length;
  if (count(/^assets\/worker-.+\.js$/) !== 1 || count(/^assets\/lessons-worker-.+\.js$/) !== 1 || count(/\.wasm$/) !== 1) {
    throw new Error(`the element's files lack a worker or the wasm module: ${files.join(', ')}`);
  }
  rmSync(PACKAGE_ELEMENT, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(PACKAGE_ELEMENT, file)), { recursive: true });
    cpSync(join(DIST, file), join(PACKAGE_ELEMENT, file));
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = buildPackage();
  console.log(`element/: ${files.length} files (${files.join(', ')})`);
}
