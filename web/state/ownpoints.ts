// Points of your own (data type custom) in the link, and the checks of points read from outside.
//
// The link carries them as pts=<base64url>, at most MAX_LINK_POINTS points, every coordinate on the link's
// grid (a multiple of 1/LINK_GRID: snapToLinkGrid puts a clicked point there). The packing, in bytes:
//   n                           the number of points, a varint
//   n × (zigzag(X), zigzag(Y))  each point's coordinates as integers X = x · 1000 (|X| ≤ 10⁶), zigzag varints
//   ceil(n / 8) bytes           the labels, point i in bit i % 8 (least significant first) of byte ⌊i / 8⌋
// A varint is LEB128 (7 bits a byte, least significant first, the high bit set on all but the last byte);
// zigzag maps 0, −1, 1, −2 … to 0, 1, 2, 3 …. The bytes are written in base64url without padding (RFC 4648 §5).
// Points drawn in [−2, 3] take about 5.5 characters each. The packing is canonical: decodePoints refuses
// what encodePoints would not write (overlong varints, unused bits set, bytes left over), so a set of points
// has one spelling. Points that cannot travel (more than MAX_LINK_POINTS, or off the grid: a CSV's) are left
// out of the link (pointsInLink), and the page says so; a model file carries them whole (checkOwnPoints).
import type { LabConfig, OwnPoints } from './config.js';
import { OWN_LIMITS, inRange, rangeText } from './limits.js';
import { show } from './untrusted.js';

export const LINK_GRID = 1000;       // coordinates travel as multiples of 1/1000
export const MAX_LINK_POINTS = 1000; // more points than this stay out of the link

const MAX_COORD = OWN_LIMITS.coordinate.max * LINK_GRID; // the largest |X|
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// The nearest point of the link's grid (what the page stores for a clicked point, so drawn points always travel).
export function snapToLinkGrid(v: number): number {
  return Math.round(v * LINK_GRID) / LINK_GRID + 0; // + 0: -0 becomes 0
}

const onGrid = (v: number) => inRange(v, OWN_LIMITS.coordinate) && snapToLinkGrid(v) === v;

// Whether the link carries the configuration's points of your own: always true unless the data is custom;
// then only MAX_LINK_POINTS or fewer, every coordinate on the grid. When false, encodeHash leaves pts= out.
export function pointsInLink(c: LabConfig): boolean {
  return c.data.type !== 'custom' || (c.data.own.y.length <= MAX_LINK_POINTS && c.data.own.x.every(onGrid));
}

function pushVarint(out: number[], v: number) {
  for (; v >= 128; v = Math.floor(v / 128)) out.push((v % 128) + 128);
  out.push(v);
}

function toBase64url(bytes: number[]): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 4) / 3)); // 1 byte: 2 characters, 2: 3, 3: 4
    for (let k = 0; k < chars; k++) text += BASE64URL[(n >> (18 - 6 * k)) & 63];
  }
  return text;
}

// The bytes, or null if `text` is not canonical base64url (another character, a stray length, unused bits set).
function fromBase64url(text: string): number[] | null {
  if (text.length % 4 === 1) return null;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4);
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? BASE64URL.indexOf(chunk[k]) : 0;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    const count = chunk.length - 1;
    for (let k = 0; k < count; k++) bytes.push((n >> (16 - 8 * k)) & 255);
    if (n & ((1 << (8 * (3 - count))) - 1)) return null;
  }
  return bytes;
}

// pts= for `own`, whose coordinates must be on the grid (pointsInLink).
export function encodePoints(own: OwnPoints): string {
  const bytes: number[] = [];
  pushVarint(bytes, own.y.length);
  for (const v of own.x) {
    const q = Math.round(v * LINK_GRID);
    pushVarint(bytes, q >= 0 ? 2 * q : -2 * q - 1);
  }
  for (let i = 0; i < own.y.length; i += 8) {
    let byte = 0;
    for (let k = 0; k < 8 && i + k < own.y.length; k++) byte |= (own.y[i + k] === 1 ? 1 : 0) << k;
    bytes.push(byte);
  }
  return toBase64url(bytes);
}

// The points in pts=, or why they cannot be read. Never throws.
export function decodePoints(text: string): { own: OwnPoints } | { error: string } {
  const bytes = fromBase64url(text);
  if (!bytes) return { error: 'not the link\'s packing of points (base64url)' };
  let at = 0;
  const varint = (max: number): number | null => { // a minimal varint no larger than max
    let v = 0;
    for (let scale = 1; at < bytes.length && scale <= 128 ** 4; scale *= 128) {
      const b = bytes[at++];
      v += (b & 127) * scale;
      if (b < 128) return (b === 0 && scale > 1) || v > max ? null : v;
    }
    return null;
  };
  const n = varint(MAX_LINK_POINTS);
  if (n === null) return { error: `not a number of points from 0 to ${MAX_LINK_POINTS}` };
  const x: number[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const z = varint(2 * MAX_COORD);
    if (z === null) return { error: `point ${Math.floor(i / 2) + 1} of ${n}: cut short, or a coordinate beyond ±${OWN_LIMITS.coordinate.max}` };
    x.push((z % 2 === 0 ? z / 2 : -(z + 1) / 2) / LINK_GRID + 0);
  }
  const labelBytes = Math.ceil(n / 8);
  if (bytes.length - at !== labelBytes) return { error: `expected ${labelBytes} byte${labelBytes === 1 ? '' : 's'} of labels after the ${n} points, found ${bytes.length - at}` };
  const y: number[] = [];
  for (let i = 0; i < n; i++) y.push((bytes[at + (i >> 3)] >> (i & 7)) & 1);
  if (n % 8 !== 0 && bytes[bytes.length - 1] >> (n % 8) !== 0) return { error: 'label bits set past the last point' };
  return { own: { x, y } };
}

// Points of your own read from outside (a model file): x and y arrays of the right lengths, every coordinate a
// number within the limit, every label 0 or 1. The refusal names the field: "x[3]", "y[2]", "y", "" (the whole).
export function checkOwnPoints(value: unknown): { own: OwnPoints } | { field: string; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { field: '', reason: `must be {"x": [...], "y": [...]}, got ${show(value)}` };
  const { x, y } = value as Record<string, unknown>;
  if (!Array.isArray(y)) return { field: 'y', reason: `must be a list of labels 0 or 1, got ${show(y)}` };
  if (y.length > OWN_LIMITS.points.max) return { field: 'y', reason: `${y.length} points, more than the limit of ${OWN_LIMITS.points.max}` };
  if (!Array.isArray(x) || x.length !== 2 * y.length) return { field: 'x', reason: `must be a list of ${2 * y.length} numbers x0, y0, x1, y1, … (2 for each label in y), got ${Array.isArray(x) ? `${x.length} values` : show(x)}` };
  const badX = x.findIndex((v) => typeof v !== 'number' || !inRange(v, OWN_LIMITS.coordinate));
  if (badX >= 0) return { field: `x[${badX}]`, reason: `must be a number in ${rangeText(OWN_LIMITS.coordinate)}, got ${show(x[badX])}` };
  const badY = y.findIndex((v) => v !== 0 && v !== 1);
  if (badY >= 0) return { field: `y[${badY}]`, reason: `must be 0 or 1, got ${show(y[badY])}` };
  return { own: { x: [...(x as number[])], y: [...(y as number[])] } };
}
