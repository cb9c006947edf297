// The page's language: English or 日本語, switched by the header's buttons (or a link, or <norm-lab lang>). It
// holds the current language and its strings, fills in every data-i18n text and data-i18n-label label of the
// markup, and has the other parts of the lab apply theirs.
import { saveLang, strings, type Lang, type Strings } from '../i18n';
import type { Scope } from './markup';

export interface LanguageHost {
  target: HTMLElement;                        // carries lang
  save: boolean;                              // remember the choice for the next visit (the page, not an element)
  applyStrings(s: Strings, lang: Lang): void; // the parts that name things in the page's language
  changed(): void;                            // after a switch
}

export class LanguageSwitch {
  private current: Lang;
  private s: Strings;

  constructor(private scope: Scope, lang: Lang, private host: LanguageHost) {
    this.current = lang;
    this.s = strings(lang);
    scope.byId('lang-en').addEventListener('click', () => this.set('en'));
    scope.byId('lang-ja').addEventListener('click', () => this.set('ja'));
  }

  get lang(): Lang { return this.current; }
  get strings(): Strings { return this.s; }

  applyStrings() {
    const { scope, s, current: lang } = this;
    this.host.target.lang = lang;
    scope.all<HTMLElement>('[data-i18n]').forEach((el) => {
      const v = s[el.dataset.i18n as keyof Strings];
      if (typeof v === 'string') el.textContent = v;
    });
    scope.all<HTMLElement>('[data-i18n-label]').forEach((el) => {
      const v = s[el.dataset.i18nLabel as keyof Strings];
      if (typeof v === 'string') el.setAttribute('aria-label', v);
    });
    scope.byId('loss-chart').setAttribute('aria-label', s.lossChart);
    scope.byId('accuracy-chart').setAttribute('aria-label', s.accuracyChart);
    scope.byId('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
    scope.byId('lang-ja').setAttribute('aria-pressed', String(lang === 'ja'));
    this.host.applyStrings(s, lang);
  }

  set(next: Lang) {
    this.current = next;
    this.s = strings(next);
    if (this.host.save) saveLang(next);
    this.applyStrings();
    this.host.changed();
  }
}
