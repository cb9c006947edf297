// The traced point, layer by layer: its values after each layer (the first units), and at each
// normalization the input x, the μ and σ² that normalized it — the running ones (eval), the last batch's
// (train mode, naming its step), or the point's own (LayerNorm, RMSNorm, GroupNorm) — x̂ and γx̂ + β; then the
// logits and the softmax.
import type { Trace } from '../engine/inside';
import type { Strings } from '../i18n';
import { columnNames } from './network';
import { el } from './dom';

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4)) : '—');

export function showTrace(container: HTMLElement, t: Trace | null, s: Strings) {
  if (!t) {
    container.replaceChildren(el('p', 'why', { textContent: s.traceNone }));
    return;
  }
  const names = columnNames([{ type: 'input' }, ...t.rows], s).slice(1);
  const table = el('table', 'numbers trace-table');
  const body = el('tbody');
  const row = (head: string, values: number[], cls = '', layer?: number) => {
    const tr = el('tr', cls);
    if (layer !== undefined) tr.dataset.layer = String(layer);
    tr.append(el('th', '', { scope: 'row', textContent: head }), ...values.map((v) => el('td', '', { textContent: fmt(v) })));
    body.append(tr);
  };
  row(s.traceInput, t.point, 'trace-layer');
  t.rows.forEach((r, i) => {
    const more = r.units > r.output.length ? ` ${s.traceFirst(r.output.length, r.units)}` : '';
    if (r.norm) {
      const n = r.norm;
      const whose = n.own ? s.traceOwnStats : n.running ? s.traceRunningStats : s.traceBatchStats(t.batchStep);
      row(`x — ${names[i].title}${more}`, n.input, 'trace-sub');
      row(`μ (${whose})`, n.mean, 'trace-sub');
      row(`σ² (ε = ${n.eps})`, n.var, 'trace-sub');
      row('x̂ = (x − μ) / √(σ² + ε)', n.xhat, 'trace-sub');
      row(`γx̂ + β — ${names[i].title}`, r.output, 'trace-layer', r.layer);
    } else {
      row(`${i === t.rows.length - 1 ? s.traceLogits : names[i].title}${more}`, r.output, 'trace-layer', r.layer);
    }
  });
  row(s.traceSoftmax, t.softmax, 'trace-layer');
  table.append(body);
  container.replaceChildren(el('p', 'trace-point', { textContent: s.tracePoint(t.point[0], t.point[1]) }), table);
}
