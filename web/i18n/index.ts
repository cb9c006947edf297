// The page's language: English or Japanese, remembered across visits, defaulting to the browser's.
import { en, type Strings } from './en';
import { ja } from './ja';

export type Lang = 'en' | 'ja';
const KEY = 'normlab.lang';

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'ja') return saved;
  } catch { /* storage may be unavailable (privacy mode, sandboxed iframe) */ }
  return (navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function saveLang(lang: Lang) {
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
}

export function strings(lang: Lang): Strings {
  return lang === 'ja' ? ja : en;
}

export type { Strings };
