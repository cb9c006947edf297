// A small static server for dist/ (npm start, and the e2e tests, which mount it under a sub-path).
//   node scripts/serve.mjs [--port 5173] [--base /]
// As a command it sends the page's Content-Security-Policy header (scripts/csp.mjs) with every file but the single
// file, which carries its own stricter policy (its inline script would be refused by the page's). Like GitHub Pages,
// it sends Access-Control-Allow-Origin: * with every file, so <norm-lab> loads from it on pages of other origins.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_CSP } from './csp.mjs';
import { SINGLE_FILE } from './site.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

// Serves `root` at `base` (e.g. '/some/path/'); resolves with the listening server and its URL. `headers`: sent
// with every file, or a function of the file's path under `root` that returns them.
export function serve({ root, base = '/', port = 0, host = '127.0.0.1', headers = {} }) {
  const rootDir = resolve(root);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith(prefix)) {
        res.writeHead(404).end('not found');
        return;
      }
      let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const file = normalize(join(rootDir, rel));
      if (!file.startsWith(rootDir)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      const info = await stat(file).catch(() => null);
      const path = info?.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(path);
      const extra = typeof headers === 'function' ? headers(relative(rootDir, path)) : headers;
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache',
        'access-control-allow-origin': '*', ...extra });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      ok({ server, url: `http://${host}:${p}${prefix}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const root = fileURLToPath(new URL('../dist', import.meta.url));
  const { url } = await serve({ root, base: arg('--base', '/'), port: Number(arg('--port', process.env.PORT ?? 5173)), host: arg('--host', '127.0.0.1'),
    headers: (path) => (path === SINGLE_FILE ? {} : { 'content-security-policy': PAGE_CSP }) });
  console.log(`normlab is running at ${url}  (Ctrl+C to stop)`);
}
