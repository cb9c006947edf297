// The settings form: the controls of the data, the model and the training (each bound by its data-key to a
// field of the configuration), the Preset menu with its caption, Add run, and the errors shown next to the
// controls. It holds no configuration: it shows the one it is given and hands every change to the app as an
// edit of the draft.
import { ACTIVATIONS, ARCHITECTURES, DATASETS, MAX_RUNS, OPTIMIZERS, SAMPLERS, type LabConfig, type OwnPoints, type RunConfig } from '../state/config';
import { parsePointsCsv } from '../state/csv';
import { PRESETS, findPreset } from '../state/presets.js';
import type { ConfigError } from '../engine/protocol';
import type { Lang, Strings } from '../i18n';
import type { RunsView } from '../views/runs';
import { applyLimit, el } from '../views/dom';
import { SETTINGS } from '../state/limits.js';
import type { Scope } from './markup';
import { DatasetPictures } from '../views/datasets';
import type { Points } from '../engine/protocol';

export interface SettingsHost {
  ownPoints(own: OwnPoints): void; // a CSV file's points become the data (dataset: your own points)
  notify(text: string): void;
  // Changes the draft; `change` returns false when there is nothing to change. runsChanged: the runs'
  // cards are drawn anew.
  edit(change: (draft: LabConfig) => boolean | void, runsChanged?: boolean): void;
  choosePreset(id: string): void;
  strings(): Strings;
}

type ControlPath = `${'data' | 'model' | 'training'}.${string}`;

function getPath(c: LabConfig, path: ControlPath): unknown {
  const [group, key] = path.split('.') as [keyof LabConfig, string];
  return (c[group] as unknown as Record<string, unknown>)[key];
}

function setPath(c: LabConfig, path: ControlPath, value: unknown) {
  const [group, key] = path.split('.') as [keyof LabConfig, string];
  (c[group] as unknown as Record<string, unknown>)[key] = value;
}

// Add run: the first normalization no run has yet.
function nextRun(runs: RunConfig[]): RunConfig {
  const norms: RunConfig['norm'][] = ['layernorm', 'rmsnorm', 'groupnorm', 'none', 'batchnorm'];
  const norm = norms.find((n) => !runs.some((r) => r.norm === n)) ?? 'layernorm';
  const name = { none: 'No norm', batchnorm: 'BatchNorm', layernorm: 'LayerNorm', rmsnorm: 'RMSNorm', groupnorm: 'GroupNorm' }[norm];
  return { name, norm, placement: 'before', groups: 8, dropout: 0 };
}

export class SettingsForm {
  private pictures: DatasetPictures;

  constructor(private scope: Scope, private runsView: RunsView, private host: SettingsHost) {
    const dataset = scope.byId<HTMLSelectElement>('dataset');
    this.pictures = new DatasetPictures(scope.byId('dataset-pictures'), (type) => {
      if (dataset.value === type) return;
      dataset.value = type;
      dataset.dispatchEvent(new Event('change'));
    });
  }

  // The dataset picker's thumbnails (the worker's samples of each dataset).
  showPictures(sets: { type: string; points: Points }[]) {
    this.pictures.show([...sets, { type: 'custom', points: null }], this.scope.byId<HTMLSelectElement>('dataset').value, this.host.strings());
  }

  private controls(): HTMLElement[] {
    return this.scope.all<HTMLElement>('#controls [data-key]');
  }

  // Fills the menus, shows `c` and starts listening.
  bind(c: LabConfig) {
    const { scope, host } = this;
    this.fillSelect('dataset', DATASETS);
    this.fillSelect('activation', ACTIVATIONS);
    this.fillSelect('optimizer', OPTIMIZERS);
    this.fillSelect('architecture', ARCHITECTURES);
    this.fillSelect('batches', SAMPLERS);
    for (const l of SETTINGS) applyLimit(scope.find<HTMLInputElement>(`#controls [data-key="${l.path.join('.')}"]`)!, l);
    this.show(c);
    for (const el of this.controls()) {
      el.addEventListener('change', () => {
        const input = el as HTMLInputElement | HTMLSelectElement;
        const value = input instanceof HTMLInputElement && input.type === 'number' ? (input.value.trim() === '' ? NaN : Number(input.value)) : input.value;
        host.edit((draft) => setPath(draft, input.dataset.key as ControlPath, value));
        if (input.id === 'dataset') this.pictures.select(input.value);
      });
    }
    scope.byId('controls').addEventListener('submit', (e) => e.preventDefault());
    const presetSelect = scope.byId<HTMLSelectElement>('preset');
    presetSelect.replaceChildren(el('option', '', { value: '' }), ...PRESETS.map((p) => el('option', '', { value: p.id })));
    presetSelect.addEventListener('change', () => host.choosePreset(presetSelect.value));
    scope.byId('btn-add-run').addEventListener('click', () => host.edit((draft) => {
      if (draft.runs.length >= MAX_RUNS) return false;
      draft.runs.push(nextRun(draft.runs));
    }, true));
    this.bindSheet();
    this.bindOwnPoints();
  }

  // Your own points: the class of the next clicked point, Clear, and a CSV file (a bad one changes nothing).
  private bindOwnPoints() {
    const { scope, host } = this;
    scope.byId('btn-own-clear').addEventListener('click', () => host.edit((d) => {
      if (!d.data.own.y.length) return false;
      d.data.own = { x: [], y: [] };
    }));
    scope.byId<HTMLInputElement>('own-csv').addEventListener('change', async (e) => {
      const input = e.target as HTMLInputElement;
      const text = await input.files?.[0]?.text();
      input.value = '';
      if (text === undefined) return;
      const parsed = parsePointsCsv(text);
      if ('error' in parsed) host.notify(host.strings().csvRejected(host.strings().err(parsed.error)));
      else host.ownPoints(parsed.own);
    });
  }

  // The class a clicked point gets.
  ownClass(): number {
    return Number(this.scope.find<HTMLInputElement>('input[name="own-class"]:checked')?.value ?? 0);
  }

  // On a narrow screen the settings are a sheet over the lab, opened by the toolbar's Settings button (on a
  // wide one they are a column beside the runs, and the button is not shown).
  private bindSheet() {
    const $ = this.scope.byId;
    const toggle = $<HTMLButtonElement>('btn-settings'), sheet = $('settings'), backdrop = $('settings-backdrop');
    const set = (open: boolean) => {
      sheet.classList.toggle('open', open);
      backdrop.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) $('settings-heading').focus();
      else if (getComputedStyle(toggle).display !== 'none') toggle.focus();
    };
    $('settings-heading').tabIndex = -1;
    toggle.addEventListener('click', () => set(!sheet.classList.contains('open')));
    $('btn-settings-close').addEventListener('click', () => set(false));
    backdrop.addEventListener('click', () => set(false));
    // Escape closes it wherever the focus is (the root node: the document, or a <norm-lab>'s shadow root).
    sheet.getRootNode().addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && sheet.isConnected && sheet.classList.contains('open')) set(false);
    });
  }

  // The sheet opens by itself when an error is to be seen in it.
  private revealSheet() {
    const sheet = this.scope.byId('settings');
    if (getComputedStyle(this.scope.byId('btn-settings')).display === 'none' || sheet.classList.contains('open')) return;
    sheet.classList.add('open');
    this.scope.byId('settings-backdrop').hidden = false;
    this.scope.byId('btn-settings').setAttribute('aria-expanded', 'true');
  }

  private fillSelect(id: string, values: readonly string[]) {
    const select = this.scope.byId<HTMLSelectElement>(id);
    select.replaceChildren(...values.map((v) => el('option', '', { value: v })));
  }

  // Every control shows its field of `c`.
  show(c: LabConfig) {
    for (const el of this.controls()) {
      const v = getPath(c, el.dataset.key as ControlPath);
      (el as HTMLInputElement | HTMLSelectElement).value = String(v);
    }
    this.pictures.select(c.data.type);
    this.showDataKind(c);
  }

  // Your own points: their tools shown, the Points field their count (read only), no noise to set.
  showDataKind(c: LabConfig) {
    const own = c.data.type === 'custom';
    this.scope.byId('own-points').hidden = !own;
    this.scope.byId('btn-own-clear').hidden = !own;
    const points = this.scope.byId<HTMLInputElement>('points');
    points.readOnly = own;
    if (own) points.value = String(c.data.own.y.length);
    this.scope.byId<HTMLInputElement>('noise').disabled = own;
  }

  // The Preset menu on `id` (null: custom settings), with its caption.
  showPreset(id: string | null, lang: Lang) {
    this.scope.byId<HTMLSelectElement>('preset').value = id ?? '';
    this.showCaption(id, lang);
  }

  private showCaption(id: string | null, lang: Lang) {
    const caption = this.scope.byId('preset-caption');
    const p = findPreset(id);
    caption.hidden = !p;
    caption.textContent = p ? p.caption[lang] : '';
  }

  showRunCount(runs: number) {
    this.scope.byId<HTMLButtonElement>('btn-add-run').disabled = runs >= MAX_RUNS;
  }

  // Shows each error next to its control; the worker keeps running the last valid configuration.
  showErrors(errors: ConfigError[]) {
    const s = this.host.strings();
    for (const e of errors) {
      const t = e.target;
      if (t.kind === 'run') {
        this.runsView.setError(t.index, t.field, e.message);
        continue;
      }
      if (t.kind === 'page') {
        const p = this.scope.byId('page-error');
        p.hidden = false;
        p.textContent = s.err(e.message);
        this.revealSheet();
        continue;
      }
      const control = this.scope.find<HTMLElement>(`#controls [data-key="${t.kind}.${t.field}"]`);
      if (!control) continue;
      let error = this.scope.find<HTMLElement>(`#${control.id}-error`);
      if (!error) {
        error = el('p', 'error', { id: `${control.id}-error` });
        control.parentElement!.append(error);
      }
      error.hidden = false;
      error.textContent = s.err(e.message);
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', error.id);
      this.revealSheet();
    }
  }

  clearErrors() {
    this.scope.all<HTMLElement>('#controls .error').forEach((e) => { e.hidden = true; e.textContent = ''; });
    this.scope.all('#controls [aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    this.runsView.clearErrors();
  }

  // The menus' options and the preset caption in the page's language.
  applyStrings(s: Strings, lang: Lang, preset: string | null) {
    const label = (id: string, keyOf: (v: string) => keyof Strings) =>
      Array.from(this.scope.byId<HTMLSelectElement>(id).options).forEach((o) => { o.textContent = String(s[keyOf(o.value)]); });
    label('dataset', (v) => v as keyof Strings);
    label('activation', (v) => v as keyof Strings);
    label('optimizer', (v) => v as keyof Strings);
    label('architecture', (v) => (v === 'mlp' ? 'archMlp' : 'archResidual'));
    label('batches', (v) => `batches${v[0].toUpperCase()}${v.slice(1)}` as keyof Strings);
    this.pictures.applyStrings(s);
    Array.from(this.scope.byId<HTMLSelectElement>('preset').options).forEach((o) => {
      o.textContent = o.value ? findPreset(o.value)!.name[lang] : s.customSettings;
    });
    this.showCaption(preset, lang);
  }
}
