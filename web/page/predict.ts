// Predict, then see: a preset played as a question. Before Play the reader picks a run ("which run ends with the
// lowest training loss?"); the caption waits. When the training ends the answer is revealed with the measured
// numbers, then the caption says why. The answer comes from the preset's tested claims (state/questions.ts).
// "Ask it as a question" turns it on for the preset shown (and resets the runs); predict=1 in a link opens it.
import { findPreset } from '../state/presets.js';
import { measuredAnswer, questionFor, type Question } from '../state/questions.js';
import type { EpochPoint } from '../engine/protocol';
import type { Strings } from '../i18n';
import { el } from '../views/dom';
import type { Scope } from './markup';

export class PredictPanel {
  private question: Question | null = null;
  private names: string[] = [];
  private preset: string | null = null;
  private last: EpochPoint | null = null; // the last completed epoch
  private revealed = false;
  asking = false; // the question is on (the link says predict=1)

  constructor(private scope: Scope, private strings: () => Strings, start: () => void) {
    scope.byId('predict-start').addEventListener('click', () => {
      this.show(this.preset, true);
      start(); // the reader predicts before the training: from step 0
    });
  }

  // The preset now shown (null: none) and whether to ask its question.
  show(id: string | null, ask: boolean) {
    const p = findPreset(id);
    this.preset = p ? id : null;
    this.question = p ? questionFor(p) : null;
    this.asking = ask && !!this.question;
    this.names = p ? p.config.runs.map((r) => r.name) : [];
    this.reset();
  }

  // Back to the question (Reset, a new preset): the answer and the caption wait for the end of training again.
  reset() {
    this.revealed = false;
    this.last = null;
    this.render();
  }

  // A frame: the epochs it completed; `done` when the training has ended (then the answer shows).
  frame(epochs: EpochPoint[], done: boolean, step: number) {
    if (step === 0) this.last = null;
    if (epochs.length) this.last = epochs[epochs.length - 1];
    if (this.asking && done && !this.revealed && this.last) {
      this.revealed = true;
      this.render();
    }
  }

  applyStrings() {
    this.render();
  }

  // Play pressed while the question waits unanswered below the fold (four runs on a desk push it there): it is
  // brought into view, so the reader sees there is something to predict while the runs train (the choices stay
  // open until the end). Nothing moves once a run is picked, or when the question is in view.
  nudge() {
    if (!this.asking || this.revealed || this.picked() >= 0) return;
    const form = this.scope.byId('predict'), r = form.getBoundingClientRect();
    if (r.height && r.top >= 0 && r.bottom <= window.innerHeight) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    form.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  }

  private picked(): number {
    const checked = this.scope.find<HTMLInputElement>('#predict-choices input:checked');
    return checked ? Number(checked.value) : -1;
  }

  private render() {
    const s = this.strings(), q = this.question, form = this.scope.byId('predict');
    this.scope.byId('predict-start').hidden = !q || this.asking;
    this.scope.byId('predict-start').textContent = s.predictStart;
    form.hidden = !this.asking;
    form.closest('.caption-panel')!.classList.toggle('asking', this.asking && !this.revealed);
    if (!q || !this.asking) return;
    this.scope.byId('predict-question').textContent = s.predictQuestion(q.kind, q.worst);
    const choices = this.scope.byId('predict-choices'), was = this.picked();
    choices.replaceChildren(...this.names.map((name, r) => {
      const input = el('input', '', { type: 'radio', name: 'predict', value: String(r), checked: r === was, disabled: this.revealed });
      const label = el('label', 'predict-choice');
      label.append(input, ` ${name}`);
      return label;
    }));
    this.scope.byId('predict-hint').hidden = this.revealed;
    this.scope.byId('predict-hint').textContent = s.predictHint;
    const verdict = this.scope.byId('predict-verdict');
    verdict.hidden = !this.revealed;
    verdict.textContent = this.revealed ? this.verdict(q, s) : '';
  }

  // The answer with the measured numbers: a stopped run's loss counts as the worst, its accuracy as the lowest.
  private verdict(q: Question, s: Strings): string {
    const e = this.last!;
    const raw = q.kind === 'trainLoss' ? e.trainLoss : q.kind === 'testLoss' ? e.testLoss : e.testAccuracy;
    const values = raw.map((v) => (Number.isFinite(v) ? v : q.kind === 'testAccuracy' ? -Infinity : Infinity));
    const shown = (r: number) => (Number.isFinite(values[r]) ? (q.kind === 'testAccuracy' ? `${(100 * values[r]).toFixed(1)} %` : values[r].toFixed(3)) : s.predictStopped);
    const measured = measuredAnswer(q, values), picked = this.picked(), name = (r: number) => this.names[r] ?? '?';
    const answer = s.predictAnswer(name(q.answer), shown(q.answer));
    const mine = picked < 0 ? s.predictNoPick : picked === q.answer ? s.predictRight : s.predictWrong(name(picked), shown(picked));
    // The claims were checked for seeds 0–2; should this run ever measure otherwise, say so rather than hide it.
    const odd = measured !== q.answer && measured >= 0 ? ` ${s.predictOdd(name(measured))}` : '';
    return `${mine} ${answer}${odd}`;
  }
}
