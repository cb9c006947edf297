// Model files (Export model / Import model): only version 1 (the number) is read, and every refusal names
// its field.
import test from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../build-unit/state/config.js';
import { MODEL_VERSION, modelFileJson, parseModelFile } from '../../build-unit/export/modelfile.js';

const valid = () => JSON.parse(modelFileJson({ config: defaultConfig(), steps: 25, runs: defaultConfig().runs.map((r) => ({ name: r.name, state: [['0.weight', [0.5, -1.25]]] })) }));

test('a valid file is read back as written', () => {
  const parsed = parseModelFile(JSON.stringify(valid()));
  assert.deepEqual(parsed, { file: valid() });
  assert.equal(parsed.file.version, MODEL_VERSION);
});

test('the sampler travels in the file; a file from before it had shuffled batches; a bad one is named', () => {
  const sorted = valid();
  sorted.config.training.sampler = 'sorted';
  assert.equal(parseModelFile(JSON.stringify(sorted)).file.config.training.sampler, 'sorted');
  const old = valid();
  delete old.config.training.sampler;
  assert.deepEqual(parseModelFile(JSON.stringify(old)), { file: valid() });
  const bad = valid();
  bad.config.training.sampler = 'stratified';
  assert.deepEqual(parseModelFile(JSON.stringify(bad)),
    { field: 'config', error: 'model file: config: batches: unknown value "stratified" (expected shuffle, balanced, sorted, duplicates)' });
});

test('only the number 1 is a version this normlab reads; every other one is named', () => {
  const cases = [
    [0, 'model file: version: must be the number 1, got 0'],
    [-1.5, 'model file: version: must be the number 1, got -1.5'],
    [1.5, 'model file: version: must be the number 1, got 1.5'],
    ['1', 'model file: version: must be the number 1, got "1"'],
    [null, 'model file: version: must be the number 1, got null'],
    [[1], 'model file: version: must be the number 1, got a list'],
    [undefined, 'model file: version: must be the number 1, got nothing'],
    [2, 'model file: version: 2 is newer than this normlab reads (1)'],
  ];
  for (const [version, error] of cases) {
    const file = { ...valid(), version };
    assert.deepEqual(parseModelFile(JSON.stringify(file)), { field: 'version', error }, String(version));
  }
});

test('each refusal names its field and echoes at most 80 characters', () => {
  const at = (change) => { const f = valid(); change(f); return parseModelFile(JSON.stringify(f)); };
  assert.deepEqual(parseModelFile('{"format": "x"'), { field: 'model file', error: parseModelFile('{"format": "x"').error });
  assert.match(parseModelFile('nope').error, /^model file: not JSON \(/);
  assert.equal(at((f) => { f.format = 'other'; }).field, 'format');
  assert.deepEqual(at((f) => { f.steps = -1; }), { field: 'steps', error: 'model file: steps: must be an integer ≥ 0, got -1' });
  assert.deepEqual(at((f) => { f.steps = 'x'.repeat(1000); }), { field: 'steps', error: `model file: steps: must be an integer ≥ 0, got "${'x'.repeat(80)}… (cut)"` });
  assert.deepEqual(at((f) => { f.config.training.lr = '0x10'; }), { field: 'config', error: 'model file: config: lr: "0x10" is not a number in (0, 1000000]' });
  assert.deepEqual(at((f) => { delete f.config; }), { field: 'config', error: 'model file: config: missing or malformed' });
  assert.equal(at((f) => { f.runs.pop(); }).field, 'runs');
  assert.equal(at((f) => { f.runs[1].state = [1, 2]; }).field, 'runs[1].state');
  const key = 'w'.repeat(5000);
  assert.deepEqual(at((f) => { f.runs[0].state[key] = ['1']; }), { field: `runs[0].state["${'w'.repeat(80)}… (cut)"]`, error: `model file: runs[0].state["${'w'.repeat(80)}… (cut)"]: not a list of numbers` });
});
