// "Why it helps": the lesson's explanation and the ones that replaced it, tied together — internal covariate
// shift, a smoother landscape, scale invariance and the effective learning rate, a forgiven initialization,
// the batch as part of the model. Each part is a formula and buttons that open the preset testing it on this
// lab (its claims checked over three seeds) or the lesson tab that measures it. Text: i18n/why.ts.
import type { Lang } from '../i18n';
import { findPreset } from '../state/presets.js';
import type { Section } from '../state/urlstate';
import { WHY_REFERENCES, whyStrings, type WhyPartId } from '../i18n/why';
import type { LessonStrings } from '../i18n/lessons-en';
import { el } from '../views/dom';
import { tex } from './math';

// What each part opens: presets by id, lesson tabs by section.
export const WHY_LINKS: Record<WhyPartId, { presets: string[]; tabs: Section[] }> = {
  shift: { presets: ['deep-sigmoid'], tabs: ['layerstats'] },
  smooth: { presets: ['landscape'], tabs: ['landscape'] },
  scale: { presets: ['weight-decay'], tabs: ['scale'] },
  init: { presets: ['bad-init'], tabs: [] },
  batch: { presets: ['tiny-batch', 'batch-one', 'outliers'], tabs: ['compare'] },
};

export class WhyLesson {
  readonly root = el('div', 'why-lesson');
  private intro = el('p', 'lesson-text');
  private parts = new Map<WhyPartId, { title: HTMLElement; text: HTMLElement; formula: HTMLElement; after: HTMLElement; buttons: HTMLButtonElement[] }>();
  private takeaway = el('p', 'lesson-text why-takeaway');
  private sources = el('h4');
  private references = el('ol', 'why-references');

  constructor(private choosePreset: (id: string) => void, private openTab: (id: Section) => void) {
    this.root.append(this.intro);
    for (const id of Object.keys(WHY_LINKS) as WhyPartId[]) {
      const links = WHY_LINKS[id];
      const part = el('section', 'why-part');
      const title = el('h4'), formula = el('div', 'formula'), after = el('p', 'lesson-text');
      const text = el('p', 'lesson-text');
      const buttons = [
        ...links.presets.map((p) => { const b = el('button', '', { type: 'button' }); b.dataset.preset = p; b.addEventListener('click', () => this.choosePreset(p)); return b; }),
        ...links.tabs.map((s) => { const b = el('button', '', { type: 'button' }); b.dataset.tab = s; b.addEventListener('click', () => this.openTab(s)); return b; }),
      ];
      const row = el('div', 'why-buttons');
      row.append(...buttons);
      part.append(title, text, formula, after, row);
      this.root.append(part);
      this.parts.set(id, { title, text, formula, after, buttons });
    }
    this.references.append(...WHY_REFERENCES.map((r) => el('li', '', { textContent: r })));
    this.root.append(this.takeaway, this.sources, this.references);
  }

  applyStrings(lang: Lang, t: LessonStrings) {
    const w = whyStrings(lang);
    this.intro.textContent = w.intro;
    for (const [id, p] of this.parts) {
      const s = w.parts[id];
      p.title.textContent = s.title;
      p.text.textContent = s.text;
      tex(p.formula, s.formula);
      p.after.textContent = s.after ?? '';
      for (const b of p.buttons) {
        if (b.dataset.preset) b.textContent = w.open(findPreset(b.dataset.preset)?.name[lang] ?? b.dataset.preset);
        else b.textContent = w.openTab(String(t[b.dataset.tab as Section]));
      }
    }
    this.takeaway.textContent = w.takeaway;
    this.sources.textContent = w.sources;
  }
}
