// The single file, dist/normlab-single.html (npm run build:single; also part of npm run build): the whole lab in one
// HTML file that works when opened from disk (file://). Vite (vite.single.config.ts) bundles one script with the
// workers and the wasm inlined and one stylesheet; this puts both into the HTML, so the file loads nothing else,
// and adds the policy that allows exactly them (scripts/csp.mjs singleFileCsp: their hashes, blob: workers, the
// data: wasm module).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cspMeta, singleFileCsp } from './csp.mjs';
import { SINGLE_FILE } from './site.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export function buildSingle() {
  execFileSync('npx', ['vite', 'build', '-c', 'vite.single.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const out = join(root, 'build-single');
  let html = readFileSync(join(out, 'single.html'), 'utf8');
  const assets = readdirSync(join(out, 'assets'));
  const scripts = assets.filter((f) => f.endsWith('.js')), styles = assets.filter((f) => f.endsWith('.css'));
  if (scripts.length !== 1 || styles.length > 1) throw new Error(`build:single: expected one script and at most one stylesheet, got ${assets.join(', ')}`);
  const js = readFileSync(join(out, 'assets', scripts[0]), 'utf8').replaceAll('</script', '<\\/script');
  const css = styles.length ? readFileSync(join(out, 'assets', styles[0]), 'utf8').replaceAll('</style', '<\\/style') : '';
  let found = 0;
  html = html.replace(/<script type="module" crossorigin src="[^"]+"><\/script>/, () => { found++; return `<script type="module">${js}</script>`; });
  html = html.replace(/<link rel="stylesheet" crossorigin href="[^"]+">/, () => { found++; return `<style>${css}</style>`; });
  if (found !== 1 + styles.length) throw new Error('build:single: the built HTML does not reference the bundle as expected');
  if (/(src|href)="\.\/assets\//.test(html)) throw new Error('build:single: a file reference is left in the HTML');
  html = html.replace(/<meta charset="utf-8">/, (m) => { found++; return `${m}\n  ${cspMeta(singleFileCsp({ script: js, style: css }))}`; });
  if (found !== 2 + styles.length) throw new Error('build:single: no <meta charset> to put the Content-Security-Policy after');
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', SINGLE_FILE), html);
  console.log(`dist/${SINGLE_FILE}: ${(html.length / 1e6).toFixed(2)} MB, self-contained; open it from disk`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildSingle();
