// "Export PyTorch": a runnable Python script that rebuilds the lab in PyTorch — the same data, the same
// nn.Sequential per run, optimizer, batch size and epochs — with the current weights (load_state_dict), and a
// self-check: `python3 normlab_lab.py --check` recomputes the page's eval-mode logits on a few training points
// from the exported weights and compares them (1e-4). `--epochs N` trains for N epochs instead of the lab's.
// The script is built as annotated lines (scriptLines): the file carries the explanations as comments in the
// page's language, and the "PyTorch code" panel shows the same lines beside them (explain.ts).
import { modelJson, type LabConfig } from '../state/config.js';
import { NOTES, type NoteKey } from './explain.js';

export interface ExportedRun {
  name: string;
  model: { input: number; layers: Layer[] };
  state: [string, number[]][]; // state_dict order, num_batches_tracked left out
  logits: number[];            // eval-mode logits of checkX, as the page computed them
}

export interface Layer {
  type: string;
  out?: number;
  eps?: number;
  momentum?: number;
  groups?: number;
  p?: number;
  slope?: number;
  bias?: boolean;
  layers?: Layer[];
}

export interface ExportPayload {
  config: LabConfig;
  steps: number;   // training steps taken so far (BatchNorm's num_batches_tracked)
  epoch: number;
  data: { x: number[]; y: number[]; testRows: number }; // all points in generation order; the last testRows test
  checkX: number[]; // a few training rows (× 2)
  imported: boolean; // the runs started from a model file's weights (Import model), not from the seed's
  runs: ExportedRun[];
}

const py = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v)); // float literals
const floats = (a: ArrayLike<number>) => `[${Array.from(a, (v) => Number(Math.fround(v).toPrecision(9))).join(', ')}]`;
const str = (s: string) => JSON.stringify(s); // a valid Python string literal for any run name

export function layerCode(l: Layer, width: number): [string, number] {
  switch (l.type) {
    case 'linear': return [`nn.Linear(${width}, ${l.out}${l.bias === false ? ', bias=False' : ''})`, l.out!];
    case 'batchnorm': return [`nn.BatchNorm1d(${width}, eps=${py(l.eps ?? 1e-5)}, momentum=${py(l.momentum ?? 0.1)})`, width];
    case 'layernorm': return [`nn.LayerNorm(${width}, eps=${py(l.eps ?? 1e-5)})`, width];
    case 'rmsnorm': return [`RMSNorm(${width}, eps=${py(l.eps ?? 1e-6)})`, width];
    case 'groupnorm': return [`nn.GroupNorm(${l.groups}, ${width}, eps=${py(l.eps ?? 1e-5)})`, width];
    case 'dropout': return [`nn.Dropout(${py(l.p ?? 0.5)})`, width];
    case 'relu': return ['nn.ReLU()', width];
    case 'tanh': return ['nn.Tanh()', width];
    case 'sigmoid': return ['nn.Sigmoid()', width];
    case 'gelu': return ['nn.GELU()', width];
    case 'leaky_relu': return [`nn.LeakyReLU(${py(l.slope ?? 0.01)})`, width];
    case 'residual': {
      let w = width;
      const inner = l.layers!.map((x) => { const [code, next] = layerCode(x, w); w = next; return code; });
      return [`Residual(${inner.join(', ')})`, width];
    }
    default: throw new Error(`export: unknown layer type ${l.type}`);
  }
}

function optimizerCode(c: LabConfig): string {
  const t = c.training;
  switch (t.optimizer) {
    case 'sgd': return `torch.optim.SGD(model.parameters(), lr=${py(t.lr)}, weight_decay=${py(t.weightDecay)})`;
    case 'sgd+momentum': return `torch.optim.SGD(model.parameters(), lr=${py(t.lr)}, momentum=0.9, weight_decay=${py(t.weightDecay)})`;
    case 'adam': return `torch.optim.Adam(model.parameters(), lr=${py(t.lr)}, weight_decay=${py(t.weightDecay)})`;
    case 'adamw': return `torch.optim.AdamW(model.parameters(), lr=${py(t.lr)}, weight_decay=${py(t.weightDecay)})`;
  }
}

export type Lang = 'en' | 'ja';

// One line of the script. `shown` is what the panel displays when the line holds the data or the weights
// (the panel has no payload); `note` explains the line (`suffix` is appended to the note, e.g. a run's name).
export interface ScriptLine {
  code: string;
  shown?: string;
  note?: NoteKey;
  suffix?: string;
}

// The script for a configuration. With a payload it is the runnable export (data, weights, the page's logits);
// without one (the panel), the lines that would hold them show what they hold.
export function scriptLines(c: LabConfig, p: ExportPayload | null): ScriptLine[] {
  const lines: ScriptLine[] = [];
  const add = (code: string, note?: NoteKey, extra: Partial<ScriptLine> = {}) => lines.push({ code, note, ...extra });
  const block = (text: string) => text.split('\n').forEach((l) => add(l));
  const models = p ? p.runs.map((r) => ({ name: r.name, model: r.model })) : c.runs.map((r) => ({ name: r.name, model: JSON.parse(modelJson(c, r)) as ExportedRun['model'] }));
  const specs = JSON.stringify(models.map((m) => m.model));
  const d = c.data;
  const own = d.type === 'custom';
  const n = own ? d.own.y.length : d.points;
  const sklearn = d.type === 'moons' || d.type === 'circles';
  const testRows = p ? p.data.testRows : Math.round(n * d.testFraction);

  block(`"""normlab lab exported to PyTorch: ${models.map((m) => m.name).join(' vs ')}.

Rebuilds the lab — data, models, optimizer, batch size, epochs — and loads the weights the page had
${p ? `after ${p.steps} steps (epoch ${p.epoch})` : 'when this was exported'}. Needs torch (e.g. Debian's python3-torch)${sklearn ? '; scikit-learn is optional' : ''}.
    python3 normlab_lab.py            train for the lab's ${c.training.epochs} epochs from the exported weights
    python3 normlab_lab.py --epochs 3 train for 3 epochs
    python3 normlab_lab.py --check    compare the models' logits with the page's and exit
"""`);
  add('import argparse');
  add('import torch', 'imports');
  add('import torch.nn as nn');
  add('from torch.utils.data import DataLoader, TensorDataset');
  add('');
  add(own ? `# ---- data: your own ${n} points, in the lab's order (shuffled with seed ${d.seed}); the last ${testRows} are the test set`
    : `# ---- data: ${d.type}, ${n} points, noise ${d.noise}, seed ${d.seed}; the last ${testRows} are the test set`);
  add(`X_EMBEDDED = torch.tensor(${p ? floats(p.data.x) : '[]'}).reshape(-1, 2).numpy()`, 'embeddedData', { shown: `X_EMBEDDED = torch.tensor([… ${n} × 2 …]).reshape(-1, 2).numpy()` });
  add(`Y_EMBEDDED = torch.tensor(${p ? JSON.stringify(p.data.y) : '[]'}).numpy()`, undefined, { shown: `Y_EMBEDDED = torch.tensor([… ${n} …]).numpy()` });
  if (sklearn) {
    add('try:');
    add(`    from sklearn.datasets import make_${d.type}`);
    add(`    X, y = ${d.type === 'moons' ? `make_moons(n_samples=${n}, noise=${py(d.noise)}, random_state=${d.seed})` : `make_circles(n_samples=${n}, noise=${py(d.noise)}, random_state=${d.seed}, factor=0.8)`}`, 'moons');
    if (d.scale !== 1 || d.shift !== 0) add(`    X = X * ${py(d.scale)} + ${py(d.shift)}`, 'transform');
    add('except ImportError:', 'noSklearn');
    add('    X, y = X_EMBEDDED, Y_EMBEDDED');
  } else if (own) {
    add('X, y = X_EMBEDDED, Y_EMBEDDED', 'ownPoints');
  } else {
    add('X, y = X_EMBEDDED, Y_EMBEDDED', 'embedded', { suffix: ` (${d.type})` });
  }
  add('X = torch.tensor(X, dtype=torch.float32)', 'tensors');
  add('y = torch.tensor(y, dtype=torch.long)');
  add(`N_TRAIN = ${n - testRows}`, 'split');
  add('X_train, y_train, X_test, y_test = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]');
  if (specs.includes('"rmsnorm"')) {
    add('');
    add('');
    add('class RMSNorm(nn.Module):', 'rmsnormClass');
    block(`    """y = x / sqrt(mean(x²) + eps) · weight (no centering, no bias)."""
    def __init__(self, width, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight`);
  }
  if (specs.includes('"residual"')) {
    add('');
    add('');
    add('class Residual(nn.Sequential):', 'residualClass');
    block(`    """x + f(x), f the inner layers."""
    def forward(self, x):
        return x + super().forward(x)`);
  }
  add('');
  add('# ---- models: one nn.Sequential per run (state_dict names match normlab\'s parameter names)');
  add(`torch.manual_seed(${c.training.seed})`, 'seed');
  add('models = {', 'modelsDict');
  for (const m of models) {
    add(`    ${str(m.name)}: nn.Sequential(`, 'sequential', { suffix: ` “${m.name}”.` });
    let width = m.model.input;
    for (const l of m.model.layers) {
      const [code, next] = layerCode(l, width);
      width = next;
      add(`        ${code},`, l.type as NoteKey);
    }
    add('    ),');
  }
  add('}');
  add('');
  add('# ---- the weights the page had (float32), loaded with load_state_dict');
  if (p) {
    add('WEIGHTS = {', 'weights');
    for (const r of p.runs) {
      add(`    ${str(r.name)}: {`);
      for (const [k, v] of r.state) add(`        ${str(k)}: ${floats(v)},`);
      add('    },');
    }
    add('}');
  } else {
    add('WEIGHTS = {…}', 'weights');
  }
  add('for name, model in models.items():', 'load');
  add('    state = {k: torch.tensor(v).reshape(model.state_dict()[k].shape) for k, v in WEIGHTS[name].items()}');
  add('    for k in model.state_dict():');
  add('        if k.endswith("num_batches_tracked"):');
  add(`            state[k] = torch.tensor(${p ? p.steps : 0})`);
  add('    model.load_state_dict(state)');
  add('');
  add('# ---- the page\'s first training points and its eval-mode logits on them, for --check');
  add(`CHECK_X = torch.tensor(${p ? floats(p.checkX) : '[]'}).reshape(-1, 2)`, 'checkData', { shown: 'CHECK_X = torch.tensor([…]).reshape(-1, 2)' });
  if (p) {
    add('CHECK_LOGITS = {');
    for (const r of p.runs) add(`    ${str(r.name)}: ${floats(r.logits)},`);
    add('}');
  } else {
    add('CHECK_LOGITS = {…}');
  }
  add('');
  add('');
  add('def check():', 'check');
  block(`    same_data = torch.equal(X_train[: len(CHECK_X)], CHECK_X)
    print("data: the same points as the page" if same_data else "data: DIFFERENT points from the page")
    ok = same_data
    for name, model in models.items():`);
  add('        model.eval()', 'eval');
  block(`        with torch.no_grad():
            got = model(CHECK_X).flatten()
        want = torch.tensor(CHECK_LOGITS[name])
        err = ((got - want).abs() - 1e-3 * want.abs()).max().item()
        print(f"{name}: max |logit - page| beyond 1e-3 relative = {max(err, 0):.2e}")
        ok = ok and err <= 1e-4
    print("ok: PyTorch gives the page's logits" if ok else "MISMATCH")
    return ok`);
  add('');
  add('');
  add('def train(epochs):');
  add(`    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=${c.training.batchSize}, shuffle=True)`, 'loader');
  add(`    optimizers = {name: ${optimizerCode(c).replace('model.parameters()', 'models[name].parameters()')} for name in models}`, 'optimizer');
  add('    criterion = nn.CrossEntropyLoss()', 'criterion');
  add('    for epoch in range(epochs):', 'epochs');
  add('        totals = {name: 0.0 for name in models}');
  add('        for xb, yb in loader:', 'batches');
  add('            for name, model in models.items():', 'models');
  add('                model.train()', 'train');
  add('                optimizers[name].zero_grad()', 'zero');
  add('                loss = criterion(model(xb), yb)', 'loss');
  add('                loss.backward()', 'backward');
  add('                optimizers[name].step()', 'step');
  add('                totals[name] += loss.item()');
  add('        line = ", ".join(f"{name} {total / len(loader):.4f}" for name, total in totals.items())', 'epochMean');
  add('        print(f"epoch {epoch + 1}: mean train loss {line}")');
  add('');
  add('');
  add('if __name__ == "__main__":');
  add('    parser = argparse.ArgumentParser()');
  add('    parser.add_argument("--check", action="store_true")');
  add(`    parser.add_argument("--epochs", type=int, default=${c.training.epochs})`);
  add('    args = parser.parse_args()');
  add('    if args.check:');
  add('        raise SystemExit(0 if check() else 1)');
  add('    train(args.epochs)', 'run');
  return lines;
}

// The downloadable script: every explained line is preceded by its explanation as a comment, in `lang`.
export function pytorchScript(p: ExportPayload, lang: Lang = 'en'): string {
  const out: string[] = [];
  for (const l of scriptLines(p.config, p)) {
    if (l.note && NOTES[l.note]) {
      const indent = /^\s*/.exec(l.code)![0];
      out.push(`${indent}# ${NOTES[l.note][lang]}${l.suffix ?? ''}`);
    }
    out.push(l.code);
  }
  return `${out.join('\n')}\n`;
}
