// What `npm run build` leaves in dist/ (scripts/build-page.mjs), in one place: the build writes it, the static
// server (serve.mjs) and the tests read it. Every URL inside is relative: copy dist/ to any host, under any path.
//   index.html            the lab
//   embed.html            an example of both ways of embedding it
//   normlab-element.js    <norm-lab>, one <script type="module"> from any origin (with assets/)
//   embed.js              sizes every lab iframe on a tutorial page (a plain script, alone)
//   normlab-single.html   the whole lab in one file, for file:// and classrooms without a network (alone)
//   tutorial/             a guided tutorial in English (index.html) and Japanese (ja.html): <norm-lab> and its
//                         steps from ../normlab-element.js (examples/tutorial/, copied as it is)
//   assets/               the page's and the element's chunks, the two workers, the wasm module, KaTeX's fonts
export const SINGLE_FILE = 'normlab-single.html';
export const ELEMENT = 'normlab-element.js';
export const EMBED_HELPER = 'embed.js';
export const PAGES = ['index.html', 'embed.html'];
export const TUTORIAL_DIR = 'tutorial';
export const TUTORIAL = ['index.html', 'ja.html', 'tutorial.css']; // in TUTORIAL_DIR, from examples/tutorial/
