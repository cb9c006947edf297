// What "Export PyTorch" and "Export model" need from the running lab (the worker builds it; tests build it the
// same way): the data in generation order, each run's spec and state_dict, the page's own eval-mode logits on
// a few training rows for the script's --check, and whether the runs started from the seed's initial weights.
import type { NormlabLab } from '../engine/normlab';
import type { LabConfig } from '../state/config';
import type { ExportPayload, Scaling } from './pytorch';

// `imported`: the runs started from a model file's weights (Import model) rather than from the seed's.
// `scalings`: the Scale weights actions since the runs started, which --from-scratch applies at the same steps.
export function exportPayload(lab: NormlabLab, config: LabConfig, imported: boolean, scalings: Scaling[] = []): ExportPayload {
  const train = lab.trainData(), test = lab.testData();
  const checkX = Array.from(train.x.subarray(0, 2 * Math.min(16, train.rows)));
  return {
    config,
    steps: lab.stepCount(),
    epoch: lab.epoch(),
    imported,
    scalings,
    data: { x: [...Array.from(train.x), ...Array.from(test.x)], y: [...Array.from(train.y), ...Array.from(test.y)], testRows: test.rows },
    checkX,
    runs: config.runs.map((run, r) => ({
      name: run.name,
      model: JSON.parse(lab.modelSpec(r)),
      state: lab.parameterNames(r).map((name) => [name, Array.from(lab.getParameter(r, name))] as [string, number[]]),
      logits: Array.from(lab.logits(r, checkX)),
    })),
  };
}
