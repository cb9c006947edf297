// What the page keeps of a finished epoch — the loss chart's train dot and test dash, the cards' accuracies,
// a row of the losses CSV — read from the lab right after the step that ended it. Export PyTorch's
// --from-scratch prints the same four numbers (web/export/pytorch.ts), and tests compare the two.
import type { NormlabLab } from './normlab';
import type { EpochPoint } from './protocol';

export function epochPoint(lab: NormlabLab): EpochPoint {
  const summary = lab.epochSummary();
  const hasTest = lab.testData().rows > 0;
  const point: EpochPoint = { epoch: summary.epoch, step: lab.stepCount(), trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
  for (let r = 0; r < lab.runCount(); r++) {
    const stopped = lab.runState(r).stopped;
    const train = stopped ? null : lab.evaluate(r, false, false);
    const test = stopped || !hasTest ? null : lab.evaluate(r, true, false);
    point.trainLoss.push(stopped ? NaN : summary.meanLoss[r]);
    point.testLoss.push(test ? test.loss : NaN);
    point.trainAccuracy.push(train ? train.accuracy : NaN);
    point.testAccuracy.push(test ? test.accuracy : NaN);
  }
  return point;
}
