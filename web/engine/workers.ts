// The two workers, as separate files beside the page (the normal build). The single-file build
// (npm run build:single) swaps this module for workers-inline.ts, which carries them inside the page.
// Their URLs come from this script's own URL (import.meta.url), so they are found wherever the script is served:
// beside the page, or on another origin when <norm-lab> is loaded from a CDN or the project's Pages site.
import trainerUrl from './worker.ts?worker&url';
import lessonsUrl from '../lessons/lessons-worker.ts?worker&url';

export function trainerWorker(): Worker {
  return moduleWorker(trainerUrl, 'normlab trainer');
}

export function lessonsWorker(): Worker {
  return moduleWorker(lessonsUrl, 'normlab lessons');
}

// Browsers start a worker only from the page's own origin, whatever CORS allows. From another origin the worker
// starts from a blob: URL (the page's origin) whose one line imports the real worker script with CORS; a static
// import, so the worker's message handler is set before its first message is delivered. Inside, the worker
// script's import.meta.url is still its own URL, so the wasm module is fetched from beside it. The blob: worker
// keeps the page's Content-Security-Policy, which must allow this: blob: and the lab's origin in worker-src (a module
// worker's imports are fetched as worker scripts; without worker-src, script-src decides), the lab's origin in
// script-src (the element's own chunks) and in connect-src (the wasm module), and 'wasm-unsafe-eval'.
function moduleWorker(url: string, name: string): Worker {
  const absolute = new URL(url, import.meta.url);
  if (absolute.origin === location.origin) return new Worker(absolute, { type: 'module', name });
  return new Worker(bootstrap(absolute.href), { type: 'module', name });
}

const bootstraps = new Map<string, string>(); // one blob: URL per worker script, shared by every <norm-lab>

function bootstrap(href: string): string {
  let blobUrl = bootstraps.get(href);
  if (!blobUrl) {
    blobUrl = URL.createObjectURL(new Blob([`import ${JSON.stringify(href)};\n`], { type: 'text/javascript' }));
    bootstraps.set(href, blobUrl);
  }
  return blobUrl;
}
