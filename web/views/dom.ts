// Small DOM helpers for the lab's and the lessons' views.
let uid = 0;

// A new element: its class, then properties (textContent, id, value, htmlFor, hidden, …); scope, type, min,
// max and step are set as attributes.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', props: Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const [k, v] of Object.entries(props)) {
    if (k === 'scope' || k === 'type' || k === 'min' || k === 'max' || k === 'step') e.setAttribute(k, String(v));
    else (e as unknown as Record<string, unknown>)[k] = v;
  }
  return e;
}

// A labelled control: <div class="field"><label for=id>text</label>control</div>
export function field(control: HTMLElement, text: string): { wrap: HTMLElement; label: HTMLLabelElement } {
  if (!control.id) control.id = `lesson-control-${++uid}`;
  const wrap = el('div', 'field');
  const label = el('label', '', { htmlFor: control.id, textContent: text });
  wrap.append(label, control);
  return { wrap, label };
}

export function select(id: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el('select', '', { id });
  setOptions(s, options);
  s.value = value;
  return s;
}

// Replaces a menu's options ([value, text]), keeping its choice if that is still one of them.
export function setOptions(select: HTMLSelectElement, options: [string, string][]) {
  const previous = select.value;
  select.replaceChildren(...options.map(([value, text]) => el('option', '', { value, textContent: text })));
  if (options.some(([v]) => v === previous)) select.value = previous;
}

// A number control's min, max and step, from the page's limits table (state/limits.ts).
export function applyLimit(input: HTMLInputElement, l: { min: number; max: number; step: string }) {
  input.min = String(l.min);
  input.max = String(l.max);
  input.step = l.step;
}

export function numberInput(id: string, value: number, attrs: { min?: number; max?: number; step?: number | 'any' } = {}): HTMLInputElement {
  const i = el('input', '', { id, type: 'number', ...attrs });
  i.value = String(value);
  return i;
}

// Saves `blob` as a file named `name` (through a download link, clicked).
export function download(blob: Blob, name: string) {
  const a = el('a', '', { href: URL.createObjectURL(blob), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// Saves `text` as a file of that MIME type.
export function downloadText(name: string, text: string, type: string) {
  download(new Blob([text], { type }), name);
}

// Saves a canvas as a PNG file (as drawn, at the screen's pixel density).
export function savePng(canvas: HTMLCanvasElement, name: string) {
  canvas.toBlob((blob) => { if (blob) download(blob, name); }, 'image/png');
}

// Sizes a canvas to width × height CSS pixels at the screen's pixel density; its context draws in CSS pixels.
export function hiDpiContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr, canvas.height = height * dpr;
  canvas.style.width = `${width}px`, canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  return ctx;
}
