// What `npm run build` leaves in dist/ (scripts/build-page.mjs; scripts/test.sh builds it the same way) — no
// browser: every file scripts/site.mjs lists, the workers and the wasm module, and every URL inside relative and
// pointing at a file that is there, so that dist/ copied to any host, under any path, is complete.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Script } from 'node:vm';
import { DIST } from './harness.mjs';
import { ELEMENT, EMBED_HELPER, PAGES, SINGLE_FILE, TUTORIAL, TUTORIAL_DIR } from '../../scripts/site.mjs';

const read = (path) => readFileSync(join(DIST, path), 'utf8');
const assets = readdirSync(join(DIST, 'assets'));
const tutorial = TUTORIAL.map((f) => `${TUTORIAL_DIR}/${f}`);

test('dist/ holds the pages, the element, embed.js, the single file, the workers and the wasm module', () => {
  for (const file of [...PAGES, ELEMENT, EMBED_HELPER, SINGLE_FILE, 'favicon.svg', ...tutorial]) assert.ok(existsSync(join(DIST, file)), file);
  for (const pattern of [/^worker-.+\.js$/, /^lessons-worker-.+\.js$/, /^normlab-.+\.wasm$/, /^KaTeX_Main-Regular-.+\.woff2$/]) {
    assert.equal(assets.filter((f) => pattern.test(f)).length, 1, String(pattern));
  }
});

// The relative references of a built file: src/href in HTML; static and dynamic imports and new URL(…, import.meta.url)
// in JS; url(…) in CSS.
function references(file, text) {
  const patterns = file.endsWith('.html') ? [/<[a-z][^>]*?\b(?:src|href)="([^"#]+)"/g] // tags, not the snippets shown as text
    : file.endsWith('.css') ? [/url\(([^)]+)\)/g]
    : [/\bfrom\s*["'`]([^"'`]+)["'`]/g, /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g, /(?:^|[;}\s])import\s*["'`]([^"'`]+)["'`]/g,
      /new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url/g, /\[\s*"(\.\/[^"]+)"/g, /,"(\.\/[^"]+\.js)"/g];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1].replace(/^["']|["']$/g, '')));
}

test('every URL in dist/ is relative and names a file that is there', () => {
  const files = [...PAGES, ELEMENT, ...tutorial, ...assets.filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`)];
  let checked = 0;
  for (const file of files) {
    for (const ref of references(file, read(file))) {
      if (/^(data|blob):/.test(ref)) continue;
      assert.doesNotMatch(ref, /^(\/|[a-z]+:)/i, `${file}: ${ref} is not relative`);
      const target = join(DIST, dirname(file), ref.split('?')[0]);
      assert.ok(existsSync(target), `${file} refers to ${ref}, which is not in dist/ (${relative(DIST, target)})`);
      checked++;
    }
  }
  assert.ok(checked > 80, `only ${checked} references found: the patterns no longer match the build`);
});

test('embed.js is one classic script that defines nothing global; the element, an ES module', () => {
  const helper = read(EMBED_HELPER);
  assert.doesNotThrow(() => new Script(helper), 'embed.js parses as a classic script (no import, no export)');
  assert.match(helper, /^\(function\(\)\{[\s\S]*\}\)\(\);\s*$/, 'one IIFE');
  assert.match(read(ELEMENT), /^import\{[^}]+\}from"\.\/assets\//, 'normlab-element.js imports its chunks relatively');
});

test('the single file loads nothing else', () => {
  const html = read(SINGLE_FILE);
  assert.ok(html.length > 500_000);
  assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)="(?!data:)/);
});
