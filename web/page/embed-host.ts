// dist/embed.js: the tutorial page's half of embedding the lab in an iframe, one plain script (no module, nothing
// inline: a Content-Security-Policy that allows the script allows all it does), anywhere on the page:
//   <iframe src="https://lab.host/normlab/index.html?embed=1&show=toolbar,boundary,loss" title="normlab"
//           style="width: 100%; border: 0"></iframe>
//   <script src="https://lab.host/normlab/embed.js"></script>
// An embedded lab posts its height to its parent, {normlab: 'height', height} (embed.ts); this sets the height of
// the iframe that posted it — found among the page's iframes by its window, and only when the message comes from
// the http(s) origin of that iframe's src. Labs that reported before this script ran, and labs in frames that load
// later, are asked for their height, {normlab: 'height'}. scripts/build-page.mjs builds it as a classic script
// (an IIFE: nothing global); dist/embed.html imports it.

export {}; // a module (its names are its own), built into a script that defines nothing global

const MAX_HEIGHT = 100_000; // px: a larger report is not believed

// The http(s) origin an iframe's src points to; null for anything else (about:blank, srcdoc, data:, blob:).
function srcOrigin(frame: HTMLIFrameElement): string | null {
  try {
    const url = new URL(frame.src, location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

const iframes = () => Array.from(document.getElementsByTagName('iframe'));

// The embedded lab (?embed=1) reports its height; ask it, in case it did before anyone listened.
function ask(frame: HTMLIFrameElement) {
  const origin = srcOrigin(frame);
  if (origin && new URL(frame.src).searchParams.get('embed') === '1') frame.contentWindow?.postMessage({ normlab: 'height' }, origin);
}

function sizeLabFrames() {
  window.addEventListener('message', (e: MessageEvent) => {
    const data = e.data as { normlab?: unknown; height?: unknown } | null;
    if (typeof data !== 'object' || data === null || data.normlab !== 'height') return;
    const height = data.height;
    if (typeof height !== 'number' || !(height > 0 && height <= MAX_HEIGHT)) return;
    const frame = iframes().find((f) => f.contentWindow !== null && f.contentWindow === e.source);
    if (frame && srcOrigin(frame) === e.origin) frame.style.height = `${Math.ceil(height)}px`;
  });
  iframes().forEach(ask);
  document.addEventListener('load', (e) => { if (e.target instanceof HTMLIFrameElement) ask(e.target); }, true);
}

sizeLabFrames();
