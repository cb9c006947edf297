// The PyTorch code panel: the running configuration as the code that trains it, each line explained in the
// page's language (export/explain.ts).
import type { LabConfig } from '../state/config';
import type { Lang } from '../i18n';
import { explainedCode } from '../export/explain';

export function showCode(table: HTMLElement, c: LabConfig, lang: Lang) {
  const rows = explainedCode(c, lang).map(({ code, note }) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { textContent: code }), Object.assign(document.createElement('td'), { textContent: note }));
    return tr;
  });
  table.querySelector('tbody')!.replaceChildren(...rows);
}
