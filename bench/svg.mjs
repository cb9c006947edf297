// The scaling plot of docs/benchmarks.md: µs per training step (log scale) against batch size and against
// width (both 8 … 256, log scale), one line per implementation. Plain SVG, no dependencies.
const COLORS = ['#4477aa', '#ee6677', '#228833'];

export function scalingSvg({ sizes, impls }) {
  const W = 860, H = 340, panelW = 380, top = 40, plotH = 230, left = 60;
  const series = (prefix) => impls.map(([label, impl]) => ({
    label,
    points: sizes.map((s) => [s, impl?.results.find((r) => r.name === `${prefix}-${s}`)?.us_per_step]).filter(([, v]) => v),
  }));
  const all = [...series('batch'), ...series('width')].flatMap((s) => s.points.map(([, v]) => v));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...all)))), hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all))));
  const panel = (x0, title, data) => {
    const px = (s) => x0 + left + (Math.log2(s / sizes[0]) / Math.log2(sizes.at(-1) / sizes[0])) * (panelW - left - 10);
    const py = (v) => top + plotH - (Math.log10(v / lo) / Math.log10(hi / lo)) * plotH;
    let out = `<text x="${x0 + left}" y="${top - 14}" font-weight="600">${title}</text>`;
    for (let d = lo; d <= hi; d *= 10) {
      out += `<line x1="${x0 + left}" x2="${x0 + panelW - 10}" y1="${py(d)}" y2="${py(d)}" stroke="#ddd"/>`;
      out += `<text x="${x0 + left - 6}" y="${py(d) + 4}" text-anchor="end">${d >= 1000 ? `${d / 1000} ms` : `${d} µs`}</text>`;
    }
    for (const s of sizes) out += `<text x="${px(s)}" y="${top + plotH + 16}" text-anchor="middle">${s}</text>`;
    data.forEach((ser, i) => {
      if (!ser.points.length) return;
      out += `<polyline fill="none" stroke="${COLORS[i]}" stroke-width="2" points="${ser.points.map(([s, v]) => `${px(s).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`;
      for (const [s, v] of ser.points) out += `<circle cx="${px(s).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3" fill="${COLORS[i]}"/>`;
    });
    return out;
  };
  const legend = impls.map(([label], i) => `<rect x="${60 + i * 170}" y="${H - 22}" width="12" height="12" fill="${COLORS[i]}"/><text x="${78 + i * 170}" y="${H - 12}">${label}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${panel(0, 'µs per training step vs batch size (width 64, BatchNorm)', series('batch'))}
${panel(panelW + 60, 'µs per training step vs width (batch 64, BatchNorm)', series('width'))}
${legend}
</svg>
`;
}
