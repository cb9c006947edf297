// The embed mode's trust: which origins may drive the lab, and which messages it reads.
import test from 'node:test';
import assert from 'node:assert/strict';
import { accepts, embedOptions, parseMessage } from '../../build-unit/page/embed.js';

test('origins= keeps http(s) origins only; opaque origins ("null") are never trusted', () => {
  const o = embedOptions('?embed=1&origins=data:,x,null,https://a.example/path?q,http://localhost:8000,file:///tmp/x,blob:https://b.example/1,javascript:alert(1),ftp://c.example, https://d.example ,nonsense', 'https://lab.example');
  assert.deepEqual([...o.origins], ['https://lab.example', 'https://a.example', 'http://localhost:8000', 'https://d.example']);
  assert.equal(accepts(o, 'null', false), false, 'a sandboxed frame');
  assert.equal(accepts(o, 'https://a.example', false), true);
  assert.equal(accepts(o, 'https://lab.example', false), true, 'the page\'s own origin');
  assert.equal(accepts(o, 'https://evil.example', false), false);
  assert.equal(accepts({ ...o, origins: new Set(['null']) }, 'null', false), false, '"null" is refused whatever the list holds');
});

test('a page of an opaque origin (file://, sandboxed) obeys only messages it posts to itself', () => {
  for (const own of ['null', 'file://']) {
    const o = embedOptions('?embed=1&origins=data:,x', own);
    assert.deepEqual([...o.origins], [], own);
    assert.equal(accepts(o, own, false), false, own);
    assert.equal(accepts(o, own, true), true, own);
  }
});

test('messages: commands, loads, and refusals that name their field', () => {
  assert.deepEqual(parseMessage({ normlab: 'play' }), { command: 'play' });
  assert.deepEqual(parseMessage({ normlab: 'load', config: 'data=xor' }), { command: 'load', config: 'data=xor', rejected: [], mode: 'replace' });
  assert.deepEqual(parseMessage({ normlab: 'load', config: 'batch=8', mode: 'merge' }), { command: 'load', config: 'batch=8', rejected: [], mode: 'merge' });
  assert.deepEqual(parseMessage({ normlab: 'load', config: 'batch=8', mode: 'replace' }).mode, 'replace');
  for (const mode of ['MERGE', 'append', 1, null, ['merge']]) {
    assert.equal(parseMessage({ normlab: 'load', config: 'batch=8', mode }).error.field, 'mode', `mode ${JSON.stringify(mode)} is refused, naming mode`);
  }
  assert.deepEqual(parseMessage({ normlab: 'load', config: 'batch=8', mode: 'sideways' }), { error: { field: 'mode', reason: 'expected replace or merge, got "sideways"' } });
  assert.deepEqual(parseMessage({ normlab: 'load', config: { data: 'spiral', width: 32, run: ['A~none~before~8', 'B~layernorm~before~8'], x: { toString: 1 } } }), {
    command: 'load', config: 'data=spiral&width=32&run=A%7Enone%7Ebefore%7E8&run=B%7Elayernorm%7Ebefore%7E8', mode: 'replace',
    rejected: [{ field: 'x', reason: 'expected a string, a number or a boolean (or a list of them), got a value of type object' }],
  });
  for (const other of [null, 1, 'play', [], {}, { type: 'play' }]) assert.equal(parseMessage(other), null, 'not for normlab: ignored');
  for (const height of [{ normlab: 'height' }, { normlab: 'height', height: 600 }]) assert.equal(parseMessage(height), null, 'the height query is no command');
  assert.deepEqual(parseMessage({ normlab: 'jump' }), { error: { field: 'normlab', reason: 'unknown command "jump" (expected play, pause, step, reset or load)' } });
  assert.deepEqual(parseMessage({ normlab: 'load', config: 7 }), { error: { field: 'config', reason: 'expected the link format, as a string or an object, got 7' } });
});

test('hide= names settings by their link keys, and every key has its control in the markup', async () => {
  const { keys } = await import('../../build-unit/page/embed.js');
  const { CONTROL_PATHS } = await import('../../build-unit/state/urlstate.js');
  const { readFileSync } = await import('node:fs');
  assert.deepEqual([...keys(' opt, lr,,wd ')], ['opt', 'lr', 'wd']);
  assert.deepEqual([...keys(null)], []);
  const markup = readFileSync(new URL('../../web/page/markup.ts', import.meta.url), 'utf8');
  assert.ok(CONTROL_PATHS.size >= 17);
  for (const [key, path] of CONTROL_PATHS) assert.ok(markup.includes(`data-key="${path}"`), `${key} → ${path}`);
});
