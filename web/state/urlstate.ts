// The configuration in the URL hash, so a link restores the lab exactly (same seed, same curves):
//   #v=1&data=moons&points=2000&noise=0.2&test=0.2&dseed=0&scale=1&shift=0&layers=2&width=64&act=relu&opt=adam&lr=0.01
//    &batch=64&epochs=50&wd=0&seed=0&batches=shuffle&run=No+norm~none~before~8~0&run=BatchNorm~batchnorm~before~8~0&lang=en
// decodeHash never throws: every field it cannot use is named in `rejected`, defaults fill its place, and
// whatever is valid is applied. Ranges are the page's (limits.ts); the engine checks the rest (e.g. groups
// that do not divide the width) and the page reports that too. Numbers are read in decimal only
// (untrusted.ts parseDecimal: "0x10" is not 16); a key given twice is named and its first value applies (only
// `run` repeats); a message repeats at most 80 characters of a key or value.
// Points of your own (data=custom) travel as pts=… (ownpoints.ts: the packing, and when they cannot travel —
// then the link has no pts=, pointsInLink says so, and the link opens on the dataset it would otherwise have).
import { ACTIVATIONS, ARCHITECTURES, DATASETS, MAX_RUNS, NORMS, OPTIMIZERS, PLACEMENTS, SAMPLERS, cloneConfig, defaultConfig, withOwnPoints, type LabConfig, type OwnPoints, type RunConfig } from './config.js';
import { findPreset } from './presets.js';
import { questionFor } from './questions.js';
import { MAX_NAME, OWN_LIMITS, RUN_LIMITS, SETTINGS, inRange, rangeText } from './limits.js';
import { decodePoints, encodePoints, pointsInLink } from './ownpoints.js';
import { echo, parseDecimal } from './untrusted.js';

export { MAX_LINK_POINTS, pointsInLink, snapToLinkGrid } from './ownpoints.js';

export const URL_VERSION = 1;
// The lessons' sections, in page order (section=… in the link opens one).
export const SECTIONS = ['inspector', 'bnstep', 'compare', 'layerstats', 'gradflow', 'scale', 'landscape', 'batchmates', 'dropout', 'residual', 'why'] as const;
export type Section = (typeof SECTIONS)[number];
export type Lang = 'en' | 'ja';

export interface Rejected {
  field: string;
  reason: string;
}

export interface Decoded {
  config: LabConfig;
  lang: Lang | null;
  preset: string | null; // the preset the settings came from (its caption is shown)
  section: Section | null; // the open lesson section
  predict: boolean;        // the preset played as a question (predict=1; its caption waits for the answer)
  rejected: Rejected[];
  version: number | null;
}

type EnumField = { key: string; path: [keyof LabConfig, string]; values: readonly string[] };
const ENUMS: EnumField[] = [
  { key: 'data', path: ['data', 'type'], values: DATASETS },
  { key: 'act', path: ['model', 'activation'], values: ACTIVATIONS },
  { key: 'opt', path: ['training', 'optimizer'], values: OPTIMIZERS },
  { key: 'arch', path: ['model', 'architecture'], values: ARCHITECTURES },
  { key: 'batches', path: ['training', 'sampler'], values: SAMPLERS }, // how batches are drawn (absent: shuffle)
];

// Every setting's control by its link key (lr → training.lr): what hide= names.
export const CONTROL_PATHS = new Map<string, string>([...SETTINGS.map((f): [string, string] => [f.key, f.path.join('.')]), ...ENUMS.map((f): [string, string] => [f.key, f.path.join('.')])]);

const KNOWN = new Set(['v', 'run', 'lang', 'preset', 'section', 'pts', 'predict', ...SETTINGS.map((f) => f.key), ...ENUMS.map((f) => f.key)]);

const group = (c: LabConfig, g: keyof LabConfig) => c[g] as unknown as Record<string, unknown>;

// The link of `c`. Points of your own that cannot travel (pointsInLink false) are left out: ask pointsInLink.
export function encodeHash(c: LabConfig, lang: Lang, preset: string | null = null, section: Section | null = null, predict = false): string {
  const p = new URLSearchParams();
  p.set('v', String(URL_VERSION));
  if (preset) p.set('preset', preset);
  for (const f of ENUMS) p.set(f.key, String(group(c, f.path[0])[f.path[1]]));
  // (A setting the configuration lacks — a model file from before it — is left out: the link's default applies.)
  for (const f of SETTINGS) if (group(c, f.path[0])[f.path[1]] !== undefined) p.set(f.key, String(group(c, f.path[0])[f.path[1]]));
  if (c.data.type === 'custom' && c.data.own.y.length > 0 && pointsInLink(c)) p.set('pts', encodePoints(c.data.own));
  for (const r of c.runs) p.append('run', [escapeName(r.name), r.norm, r.placement, r.groups, r.dropout].join('~'));
  p.set('lang', lang);
  if (section) p.set('section', section);
  if (predict && preset) p.set('predict', '1');
  return `#${p.toString()}`;
}

// A run's name in its run= field: "~" separates the fields, so it is written %7E (and "%" as %25).
const escapeName = (name: string) => name.replace(/[%~]/g, (ch) => (ch === '%' ? '%25' : '%7E'));
const unescapeName = (text: string) => text.replace(/%(25|7E)/gi, (m) => (m === '%25' ? '%' : '~'));

function decodeRun(text: string, index: number, rejected: Rejected[]): RunConfig | null {
  const parts = text.split('~');
  const field = `run ${index + 1}`;
  if (parts.length !== 4 && parts.length !== 5) {
    rejected.push({ field, reason: 'expected name~normalization~placement~groups~dropout' });
    return null;
  }
  const [escaped, norm, placement, groupsText, dropoutText = '0'] = parts; // links before dropout had 4 parts
  const name = unescapeName(escaped);
  const groups = parseDecimal(groupsText);
  const dropout = parseDecimal(dropoutText);
  if (!name.trim() || name.length > MAX_NAME) rejected.push({ field, reason: `the name must have 1 to ${MAX_NAME} characters` });
  else if (!(NORMS as readonly string[]).includes(norm)) rejected.push({ field, reason: `unknown normalization "${echo(norm)}"` });
  else if (!(PLACEMENTS as readonly string[]).includes(placement)) rejected.push({ field, reason: `unknown placement "${echo(placement)}"` });
  else if (!inRange(groups, RUN_LIMITS.groups)) rejected.push({ field, reason: `groups must be an integer in ${rangeText(RUN_LIMITS.groups)}, got "${echo(groupsText)}"` });
  else if (!inRange(dropout, RUN_LIMITS.dropout)) rejected.push({ field, reason: `dropout must be a number in ${rangeText(RUN_LIMITS.dropout)}, got "${echo(dropoutText)}"` });
  else return { name, norm: norm as RunConfig['norm'], placement: placement as RunConfig['placement'], groups, dropout };
  return null;
}

// Points of your own for data=custom: pts= (or `own`, when given), else the base's (a custom preset's). Without
// at least OWN_LIMITS.points.min of them the data stays the base's type; a points= that disagrees is named.
// Generated data keeps no points of its own from a link (only `own`, from a model file, or, in a merge
// (`keepBase`), the base's: what the lab kept while it shows generated data stays).
function applyOwnPoints(p: URLSearchParams, config: LabConfig, base: LabConfig, own: OwnPoints | null, rejected: Rejected[], keepBase: boolean): LabConfig {
  const text = p.get('pts');
  const custom = config.data.type === 'custom';
  const kept = keepBase ? base.data.own : { x: [], y: [] };
  let points = own ?? (base.data.type === 'custom' || (keepBase && kept.y.length > 0) ? base.data.own : null);
  if (text !== null && !own) {
    const decoded = decodePoints(text);
    if (!custom) rejected.push({ field: 'pts', reason: 'points of your own are read only with data=custom' });
    else if ('error' in decoded) rejected.push({ field: 'pts', reason: decoded.error });
    else if (decoded.own.y.length < OWN_LIMITS.points.min) rejected.push({ field: 'pts', reason: `${decoded.own.y.length} points; at least ${OWN_LIMITS.points.min} are needed` });
    else points = decoded.own;
  }
  if (!custom) return withOwnPoints(config, own ?? kept); // a link carries no points for generated data
  const n = points?.y.length ?? 0;
  if (!points || n < OWN_LIMITS.points.min) {
    const why = !points ? 'your own points did not travel in this link (no pts=)' : `${n} points of your own; at least ${OWN_LIMITS.points.min} are needed`;
    if (text === null || own) rejected.push({ field: 'data', reason: `${why}; the data stays "${base.data.type}"` });
    config.data.type = base.data.type;
    return withOwnPoints(config, own ?? kept);
  }
  const given = p.get('points');
  if (given !== null && parseDecimal(given) !== n && !rejected.some((r) => r.field === 'points'))
    rejected.push({ field: 'points', reason: `"${echo(given)}" is not the number of your own points (${n})` });
  return withOwnPoints(config, points);
}

// `own`: points of your own that come with the link rather than in it (a model file carries them whole); they
// are the configuration's own points whatever its type, and pts= is not read.
// `base`: the configuration the link's fields override (default: the defaults). A load in 'merge' mode passes the
// lab's current one, so the fields the link names change and the rest stays; a field it cannot use keeps the
// base's value. preset= still starts from that preset (a preset is a whole configuration).
export function decodeHash(hash: string, own: OwnPoints | null = null, base: LabConfig | null = null): Decoded {
  const start = base ? cloneConfig(base) : defaultConfig();
  let config = own ? withOwnPoints(start, own) : start;
  const rejected: Rejected[] = [];
  let lang: Lang | null = null;
  let version: number | null = null;
  let preset: string | null = null;
  let section: Section | null = null;
  let predict = false;
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!text) return { config, lang, preset, section, predict, rejected, version };
  let p: URLSearchParams;
  try {
    p = new URLSearchParams(text);
  } catch {
    return { config, lang, preset, section, predict, rejected: [{ field: 'link', reason: 'not a readable list of settings' }], version };
  }
  const count = new Map<string, number>();
  for (const key of p.keys()) count.set(key, (count.get(key) ?? 0) + 1);
  for (const [key, n] of count) {
    if (!KNOWN.has(key)) rejected.push({ field: echo(key) || '(unnamed)', reason: 'unknown setting' });
    else if (n > 1 && key !== 'run') rejected.push({ field: key, reason: `given ${n} times; the first value was used` });
  }
  // A preset is the base (so "#preset=deep-tanh" alone is a whole configuration); the link's fields override it.
  const id = p.get('preset');
  if (id !== null) {
    const found = findPreset(id);
    if (found) {
      preset = id;
      config = cloneConfig(found.config);
    } else rejected.push({ field: 'preset', reason: `unknown preset "${echo(id)}"` });
  }
  const before = cloneConfig(config);
  const v = p.get('v');
  if (v !== null) {
    version = parseDecimal(v);
    if (!Number.isInteger(version) || version < 1) rejected.push({ field: 'v', reason: `not a version number: "${echo(v)}"` });
    else if (version > URL_VERSION) rejected.push({ field: 'v', reason: `made by a newer normlab (version ${version}); settings this one knows were applied` });
  }
  for (const f of ENUMS) {
    const value = p.get(f.key);
    if (value === null) continue;
    if (f.values.includes(value)) group(config, f.path[0])[f.path[1]] = value;
    else rejected.push({ field: f.key, reason: `unknown value "${echo(value)}" (expected ${f.values.join(', ')})` });
  }
  for (const f of SETTINGS) {
    const value = p.get(f.key);
    if (value === null) continue;
    const n = parseDecimal(value);
    if (inRange(n, f)) group(config, f.path[0])[f.path[1]] = n;
    else rejected.push({ field: f.key, reason: `"${echo(value)}" is not ${f.integer ? 'an integer' : 'a number'} in ${rangeText(f)}` });
  }
  const runs = p.getAll('run');
  if (runs.length > 0) {
    const decoded = runs.slice(0, MAX_RUNS).map((r, i) => decodeRun(r, i, rejected)).filter((r): r is RunConfig => r !== null);
    if (runs.length > MAX_RUNS) rejected.push({ field: 'run', reason: `at most ${MAX_RUNS} runs; the first ${MAX_RUNS} were used` });
    if (decoded.length > 0) config.runs = decoded;
  }
  config = applyOwnPoints(p, config, before, own, rejected, base !== null);
  // A preset's caption describes its own settings: a link that changes them is no longer that preset.
  if (preset && JSON.stringify(config) !== JSON.stringify(findPreset(preset)!.config)) preset = null;
  const sec = p.get('section');
  if (sec !== null) {
    if ((SECTIONS as readonly string[]).includes(sec)) section = sec as Section;
    else rejected.push({ field: 'section', reason: `unknown section "${echo(sec)}" (expected ${SECTIONS.join(', ')})` });
  }
  const l = p.get('lang');
  if (l === 'en' || l === 'ja') lang = l;
  else if (l !== null) rejected.push({ field: 'lang', reason: `unknown language "${echo(l)}"` });
  const q = p.get('predict');
  if (q === '1') {
    if (!preset) rejected.push({ field: 'predict', reason: 'needs an unchanged preset (preset=…) to ask its question' });
    else if (!questionFor(findPreset(preset)!)) rejected.push({ field: 'predict', reason: `the preset "${preset}" has no question` });
    else predict = true;
  } else if (q !== null && q !== '0') rejected.push({ field: 'predict', reason: `expected 1 or 0, got "${echo(q)}"` });
  return { config, lang, preset, section, predict, rejected, version };
}

// The rejected fields as one line for a notice: the first MAX_LISTED, then how many more.
const MAX_LISTED = 10;
export function rejectedText(rejected: Rejected[]): string {
  const listed = rejected.slice(0, MAX_LISTED).map((r) => `${r.field}: ${r.reason}`).join('; ');
  return rejected.length > MAX_LISTED ? `${listed}; and ${rejected.length - MAX_LISTED} more` : listed;
}

// How a load treats the lab's configuration: 'replace' (the default) starts from the defaults, or from preset=, and
// applies the link's fields; 'merge' applies them over the lab's current configuration (decodeHash's `base`).
export const LOAD_MODES = ['replace', 'merge'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];
