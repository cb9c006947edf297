// Loads the built module for node tests. Node must be handed the wasm bytes (wasmBinary): left to itself, the
// glue loads normlab.wasm with node 20's fetch(), which cannot read file URLs and fails ("fetch failed").
import { readFile, readdir } from 'node:fs/promises';
import createNormlab from '../../build-wasm/normlab.mjs';

export async function loadNormlab() {
  const wasmBinary = await readFile(new URL('../../build-wasm/normlab.wasm', import.meta.url));
  return createNormlab({ wasmBinary });
}

export const tracesDir = new URL('../golden/traces/', import.meta.url);

export async function readJson(url) {
  return JSON.parse(await readFile(url, 'utf8'));
}

// The committed golden cases plus, when NORMLAB_GOLDEN_DIR is set, the fresh ones CI generated.
export async function caseFiles() {
  const dirs = [tracesDir.pathname];
  if (process.env.NORMLAB_GOLDEN_DIR) dirs.push(process.env.NORMLAB_GOLDEN_DIR);
  const files = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).sort()) {
      if (name.startsWith('case_') && name.endsWith('.json')) files.push(`${dir.replace(/\/$/, '')}/${name}`);
    }
  }
  return files;
}

export const lessonModel = (norm) => ({
  input: 2,
  layers: [
    { type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' },
    { type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' },
    { type: 'linear', out: 2 },
  ],
});
