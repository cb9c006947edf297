// The PyTorch code panel: the running configuration as the code that trains it, each line explained in the
// page's language (export/explain.ts).
import type { LabConfig } from '../state/config';
import type { Lang } from '../i18n';
import { explainedCode } from '../export/explain';
import { el } from './dom';

export function showCode(table: HTMLElement, c: LabConfig, lang: Lang) {
  const rows = explainedCode(c, lang).map(({ code, note }) => {
    const tr = el('tr');
    tr.append(el('td', '', { textContent: code }), el('td', '', { textContent: note }));
    return tr;
  });
  table.querySelector('tbody')!.replaceChildren(...rows);
}
