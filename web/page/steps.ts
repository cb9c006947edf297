// <norm-lab-steps> and <norm-lab-step>: a tutorial's steps, written in HTML, that change a <norm-lab> as the
// reader reaches them — by scrolling (a step crossing the middle of the viewport, as scrollytelling does) or by
// the Previous and Next buttons of the steps' container. No script of the author's own: the element's script
// (normlab-element.js) defines both.
//   <norm-lab id="lab" preset="lesson"></norm-lab>
//   <norm-lab-steps for="lab">
//     <norm-lab-step config="preset=deep-sigmoid" action="play">…</norm-lab-step>
//     <norm-lab-step config="batch=8" mode="merge" show="toolbar,boundary">…</norm-lab-step>
//   </norm-lab-steps>
// A step's attributes:
//   for     the id of its <norm-lab>; default: its container's `for`, else the nearest <norm-lab> before it in
//           the document, else the page's only one
//   config  a configuration in the link format (as <norm-lab config>); none: the configuration stays
//   mode    replace (default): start from the defaults, or from preset=; merge: change only config's fields
//   show, hide  the lab's panels and hidden settings while the step is active; a step without them gives the lab
//           the show and hide it had before the first step. They change in place: the lab is not reloaded.
//   action  play, pause, step or reset, done after the configuration is loaded
// When a step applies: once, when it becomes its lab's active step. While it stays active nothing is applied
// again, so a reader who changes the lab's settings, plays or pauses keeps what they did until they go to
// another step; coming back to a step applies it again. A merge step reached from the step just before it (in
// the document) merges into what the lab runs then, the reader's own changes included. Reached from anywhere
// else (scrolling back, or skipping steps), it replays instead: the nearest replace step before it (or the
// lab's own attributes), then every merge step between, then itself — so it always shows what it shows when
// read in order.
// The active step carries aria-current="step"; a 'normlab-step' event (bubbling; detail {lab, index}) is
// dispatched on it. The container's buttons are labelled in the lab's language (its lang attribute), else the
// page's (the nearest lang attribute): English or Japanese.
import { LOAD_MODES, type LoadMode } from '../state/urlstate.js';
import { show as quote } from '../state/untrusted.js';
import { startLink } from './embed';

const ACTIONS = ['play', 'pause', 'step', 'reset'] as const;
type Action = (typeof ACTIONS)[number];

// What a step needs of <norm-lab> (element.ts).
interface Lab extends HTMLElement {
  load(config: string, options?: { mode?: LoadMode }): void;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

// A button's name: its word, then what narrow screens hide (still part of the name).
const STRINGS = {
  en: {
    nav: 'Tutorial steps',
    previous: ['Previous', ' step'],
    next: ['Next', ' step'],
    position: (i: number, n: number) => `Step ${i} of ${n}`,
    count: (n: number) => `${n} steps`,
  },
  ja: {
    nav: 'チュートリアルのステップ',
    previous: ['前へ', ''],
    next: ['次へ', ''],
    position: (i: number, n: number) => `ステップ ${i} / ${n}`,
    count: (n: number) => `全 ${n} ステップ`,
  },
};

const active = new WeakMap<Element, NormLabStep>(); // a lab → its active step
const initialLayout = new WeakMap<Element, { show: string | null; hide: string | null }>(); // before any step
const containers = new Set<NormLabSteps>();
const warned = new WeakMap<Element, Set<string>>();
// A step the buttons went to, while the page scrolls to it: the steps it passes on the way are not applied.
const NAVIGATION_MS = 1500;
let navigating: { step: NormLabStep; until: number } | null = null;

// Once a navigation to `target` is over: if the reader scrolled it out of sight meanwhile, the step now at the
// middle applies (its crossing was passed over while the page scrolled).
function settle(target: NormLabStep) {
  if (navigating && navigating.step !== target) return; // another navigation has begun
  if (navigating && performance.now() < navigating.until) return;
  navigating = null;
  const t = target.getBoundingClientRect();
  if (t.bottom > 0 && t.top < innerHeight) return;
  const middle = innerHeight / 2;
  const here = Array.from(document.querySelectorAll<NormLabStep>('norm-lab-step')).filter((s) => {
    const r = s.getBoundingClientRect();
    return r.top <= middle && r.bottom >= middle;
  });
  if (here.length) activate(here[here.length - 1]);
}

function warn(where: Element, message: string) {
  const seen = warned.get(where) ?? new Set<string>();
  warned.set(where, seen);
  if (!seen.has(message)) { seen.add(message); console.warn(`normlab: ${message}`); }
}

const isLab = (el: Element | null): el is Lab => el !== null && el.localName === 'norm-lab';

// The steps of `lab`, in document order.
function stepsOf(lab: Element): NormLabStep[] {
  return Array.from(document.querySelectorAll<NormLabStep>('norm-lab-step')).filter((s) => s.lab() === lab);
}

// The lab's language for the buttons: its lang, else the page's at `from`.
function langOf(lab: Element | null, from: Element): 'en' | 'ja' {
  const lang = lab?.getAttribute('lang') || from.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  return lang.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function setAttribute(el: Element, name: string, value: string | null) {
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

// Makes `step` the active step of its lab and applies it, unless it is already.
function activate(step: NormLabStep) {
  const lab = step.lab();
  if (!lab) return;
  const previous = active.get(lab) ?? null;
  if (previous === step) return;
  active.set(lab, step);
  const steps = stepsOf(lab);
  for (const s of steps) {
    if (s === step) s.setAttribute('aria-current', 'step');
    else s.removeAttribute('aria-current');
  }
  step.applyTo(lab, previous, steps);
  for (const c of containers) c.refresh();
  step.dispatchEvent(new CustomEvent('normlab-step', { bubbles: true, detail: { lab, index: steps.indexOf(step) } }));
}

// A step that reaches the middle of the viewport (the root box is that one line) becomes active.
let observer: IntersectionObserver | null = null;
function crossings(): IntersectionObserver {
  observer ??= new IntersectionObserver((entries) => {
    const now = performance.now();
    if (navigating && now > navigating.until) navigating = null;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const step = entry.target as NormLabStep;
      if (navigating && step !== navigating.step) continue;
      if (navigating?.step === step) navigating = null;
      activate(step);
    }
  }, { rootMargin: '-50% 0px -50% 0px', threshold: 0 });
  return observer;
}

let stepSheet: CSSStyleSheet | null = null;
const STEP_CSS = `
:host { display: block; border-left: 3px solid transparent; padding-left: 0.9rem; transition: border-color 0.2s ease; }
:host([aria-current="step"]) { border-left-color: var(--normlab-step-accent, #3b6ea5); }
@media (prefers-reduced-motion: reduce) { :host { transition: none; } }
`;

export class NormLabStep extends HTMLElement {
  connectedCallback() {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      if (!stepSheet) { stepSheet = new CSSStyleSheet(); stepSheet.replaceSync(STEP_CSS); }
      shadow.adoptedStyleSheets = [stepSheet];
      shadow.append(document.createElement('slot'));
    }
    crossings().observe(this);
  }

  disconnectedCallback() {
    observer?.unobserve(this);
  }

  // Its lab: `for`, its container's `for`, the nearest <norm-lab> before it, or the page's only one.
  lab(): Lab | null {
    const id = this.getAttribute('for') ?? this.closest('norm-lab-steps')?.getAttribute('for') ?? null;
    if (id !== null) {
      const el = document.getElementById(id);
      if (isLab(el)) return el;
      warn(this, `<norm-lab-step for=${quote(id)}>: no <norm-lab> on the page has that id`);
      return null;
    }
    const labs = Array.from(document.querySelectorAll('norm-lab')).filter(isLab);
    const before = labs.filter((l) => l.compareDocumentPosition(this) & Node.DOCUMENT_POSITION_FOLLOWING);
    const lab = before.at(-1) ?? (labs.length === 1 ? labs[0] : null);
    if (!lab) warn(this, '<norm-lab-step>: no <norm-lab> before it, and not one alone on the page: name it with for="…"');
    return lab;
  }

  // Its mode, or null (with a warning) when it is neither replace nor merge: then it loads nothing.
  mode(): LoadMode | null {
    const mode = this.getAttribute('mode') ?? 'replace';
    if ((LOAD_MODES as readonly string[]).includes(mode)) return mode as LoadMode;
    warn(this, `<norm-lab-step mode=${quote(mode)}>: expected ${LOAD_MODES.join(' or ')}; the step loads no configuration`);
    return null;
  }

  // What this step shows when read in order: the nearest replace step up to it (or the lab's own attributes),
  // then every merge step after that — the links to load, the first replacing, the others merging.
  private replay(lab: Lab, steps: NormLabStep[]): string[] {
    const links: string[] = [];
    for (let k = steps.indexOf(this); k >= 0; k--) {
      const config = steps[k].getAttribute('config'), mode = steps[k].mode();
      if (config === null || mode === null) continue;
      links.unshift(config);
      if (mode === 'replace') return links;
    }
    return [startLink(lab.getAttribute('preset'), lab.getAttribute('config')), ...links];
  }

  // Applies this step to `lab`, which `previous` was showing; `steps`: the lab's steps.
  applyTo(lab: Lab, previous: NormLabStep | null, steps: NormLabStep[]) {
    if (!initialLayout.has(lab)) initialLayout.set(lab, { show: lab.getAttribute('show'), hide: lab.getAttribute('hide') });
    const layout = initialLayout.get(lab)!;
    setAttribute(lab, 'show', this.getAttribute('show') ?? layout.show);
    setAttribute(lab, 'hide', this.getAttribute('hide') ?? layout.hide);
    const config = this.getAttribute('config'), mode = this.mode();
    const inOrder = previous === (steps[steps.indexOf(this) - 1] ?? null);
    if (mode === 'replace' && config !== null) lab.load(config, { mode: 'replace' });
    else if (!inOrder) this.replay(lab, steps).forEach((link, k) => lab.load(link, { mode: k === 0 ? 'replace' : 'merge' }));
    else if (mode === 'merge' && config !== null) lab.load(config, { mode: 'merge' });
    const action = this.getAttribute('action');
    if (action === null) return;
    if ((ACTIONS as readonly string[]).includes(action)) lab[action as Action]();
    else warn(this, `<norm-lab-step action=${quote(action)}>: expected one of ${ACTIONS.join(', ')}`);
  }
}

// An arrow beside a button's name, not part of it.
function arrow(text: string): HTMLElement {
  const span = document.createElement('span');
  span.setAttribute('aria-hidden', 'true');
  span.textContent = text;
  return span;
}

// The end of a button's name, hidden from sight (not from its name) where the bar is narrow.
function more(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'more';
  span.textContent = text;
  return span;
}

let navSheet: CSSStyleSheet | null = null;
const NAV_CSS = `
:host { display: block; container-type: inline-size; }
nav {
  position: sticky; bottom: 0.75rem; z-index: 2; pointer-events: auto;
  display: flex; align-items: center; justify-content: space-between; gap: 0.5rem;
  margin-top: 1.5rem; padding: 0.4rem; border-radius: 999px;
  background: var(--normlab-steps-bg, #ffffff); color: var(--normlab-steps-text, #1f2328);
  border: 1px solid var(--normlab-steps-line, #d9dbd6); box-shadow: 0 4px 16px rgba(20, 24, 30, 0.12);
  font: inherit; font-size: 0.9rem;
}
button {
  font: inherit; color: inherit; background: transparent; border: 1px solid transparent; border-radius: 999px;
  padding: 0.35rem 0.8rem; min-height: 2.25rem; cursor: pointer; white-space: nowrap;
}
button.next { background: var(--normlab-step-accent, #3b6ea5); color: #fff; font-weight: 600; }
button:hover:not([aria-disabled="true"]) { border-color: var(--normlab-step-accent, #3b6ea5); }
button[aria-disabled="true"] { opacity: 0.4; cursor: default; }
button:focus-visible { outline: 2px solid var(--normlab-step-accent, #3b6ea5); outline-offset: 2px; }
.position { font-variant-numeric: tabular-nums; color: var(--normlab-steps-muted, #5b616b); text-align: center; white-space: nowrap; }
@container (max-width: 24rem) {
  .more { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  button { padding: 0.35rem 0.7rem; }
}
@media (prefers-color-scheme: dark) {
  nav { background: var(--normlab-steps-bg, #1c1e22); color: var(--normlab-steps-text, #e6e7e9); border-color: var(--normlab-steps-line, #2e3137); }
  .position { color: var(--normlab-steps-muted, #a3a8b1); }
  button.next { color: #0d1b2a; background: var(--normlab-step-accent, #7aa6d6); }
}
`;

// The steps' container: its steps, then a bar (sticky at the bottom of the viewport while the steps are in view)
// with Previous, the position ("Step 2 of 4") and Next. The bar and its parts can be styled with ::part(nav),
// ::part(previous), ::part(position), ::part(next), or the custom properties above.
export class NormLabSteps extends HTMLElement {
  private previousButton: HTMLButtonElement | null = null;
  private nextButton: HTMLButtonElement | null = null;
  private position: HTMLElement | null = null;
  private navEl: HTMLElement | null = null;

  connectedCallback() {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      if (!navSheet) { navSheet = new CSSStyleSheet(); navSheet.replaceSync(NAV_CSS); }
      shadow.adoptedStyleSheets = [navSheet];
      const nav = (this.navEl = document.createElement('nav'));
      nav.setAttribute('part', 'nav');
      const button = (part: 'previous' | 'next', delta: number) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = part;
        b.setAttribute('part', part);
        b.addEventListener('click', () => this.go(delta));
        return b;
      };
      this.previousButton = button('previous', -1);
      this.nextButton = button('next', 1);
      this.position = document.createElement('span');
      this.position.className = 'position';
      this.position.setAttribute('part', 'position');
      this.position.setAttribute('aria-live', 'polite');
      nav.append(this.previousButton, this.position, this.nextButton);
      shadow.append(document.createElement('slot'), nav);
    }
    containers.add(this);
    // The steps inside are upgraded (and their labs found) once the document has been parsed.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => this.refresh(), { once: true });
    else queueMicrotask(() => this.refresh());
  }

  disconnectedCallback() {
    containers.delete(this);
  }

  private steps(): NormLabStep[] {
    return Array.from(this.querySelectorAll<NormLabStep>('norm-lab-step'));
  }

  private current(steps: NormLabStep[]): number {
    const lab = steps[0]?.lab();
    const step = lab ? active.get(lab) : undefined;
    return step ? steps.indexOf(step) : -1;
  }

  // Goes to the step `delta` away from the active one (Next from none: the first), and scrolls it to the middle.
  private go(delta: number) {
    const steps = this.steps();
    const i = this.current(steps);
    const target = steps[i < 0 ? (delta > 0 ? 0 : -1) : i + delta];
    if (!target) return;
    navigating = { step: target, until: performance.now() + NAVIGATION_MS };
    activate(target);
    setTimeout(() => settle(target), NAVIGATION_MS + 50);
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    target.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
  }

  // The bar's labels (in the lab's language) and state.
  refresh() {
    if (!this.navEl || !this.previousButton || !this.nextButton || !this.position) return;
    const steps = this.steps();
    const t = STRINGS[langOf(steps[0]?.lab() ?? null, this)];
    this.navEl.setAttribute('aria-label', t.nav);
    const [previous, previousMore] = t.previous, [next, nextMore] = t.next;
    this.previousButton.replaceChildren(arrow('← '), previous, more(previousMore));
    this.nextButton.replaceChildren(next, more(nextMore), arrow(' →'));
    const i = this.current(steps);
    this.position.textContent = i < 0 ? t.count(steps.length) : t.position(i + 1, steps.length);
    this.previousButton.setAttribute('aria-disabled', String(i <= 0));
    this.nextButton.setAttribute('aria-disabled', String(i >= steps.length - 1));
  }
}

if (!customElements.get('norm-lab-step')) customElements.define('norm-lab-step', NormLabStep);
if (!customElements.get('norm-lab-steps')) customElements.define('norm-lab-steps', NormLabSteps);
