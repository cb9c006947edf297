// "Export PyTorch": a runnable Python script that rebuilds the lab in PyTorch — the same data, the same
// nn.Sequential per run, optimizer, batch size and epochs. By default it loads the current weights
// (load_state_dict) and trains on from them; `--from-scratch` retrains from the seed's initial weights on the
// page's batches and prints the page's per-epoch curves; `--check` recomputes the page's eval-mode logits on a
// few training points from the exported weights and compares them (1e-4). `--epochs N` trains for N epochs
// instead of the lab's, `--json` prints every step's loss and the per-epoch numbers as JSON, `--float64` trains
// in float64 (how far float32 rounding alone moves them).
// The lab's batch composition (config.training.sampler, core/sampler.h) is the DataLoader's sampler: shuffle=True,
// RandomSampler(replacement=True), or a sampler class written into the script (SAMPLER_CODE).
// The script is built as annotated lines (scriptLines): the file carries the explanations as comments in the
// page's language, and the "PyTorch code" panel shows the same lines beside them (explain.ts).
import { modelJson, type LabConfig, type Sampler } from '../state/config.js';
import { NOTES, type NoteKey } from './explain.js';

export interface ExportedRun {
  name: string;
  model: { input: number; layers: Layer[]; init_scale?: number };
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
  scalings?: Scaling[]; // Scale weights since the runs started (engine/theory.ts), replayed by --from-scratch
  runs: ExportedRun[];
}

// One Scale weights action on one run: after `step` training steps, the linear layer `layer` (its state_dict
// prefix, "3" or "2.1") of run `run` had its weight and bias multiplied by `alpha`.
export interface Scaling { step: number; run: number; layer: string; alpha: number }

// The samplers the script writes out (tests/golden/torchlab.py holds the same, for the golden traces): each starts
// an epoch as RandomSampler does, so the batches and every draw after them follow the page's.
const SEEDED_SAMPLER = `class SeededSampler(Sampler):
    """Starts every epoch as PyTorch's RandomSampler does: one int64 from the global generator seeds a generator
    of its own, and order(g) orders the rows with draws from that one only."""
    def __init__(self, labels):
        self.labels = labels.tolist()

    def __len__(self):
        return len(self.labels)

    def __iter__(self):
        seed = int(torch.empty((), dtype=torch.int64).random_().item())
        g = torch.Generator()
        g.manual_seed(seed)
        yield from self.order(g)`;
const SAMPLER_CODE: Partial<Record<Sampler, { name: string; code: string }>> = {
  balanced: { name: 'BalancedSampler', code: `class BalancedSampler(SeededSampler):
    """Class-balanced batches: each class's rows in random order (class 0 first), then interleaved, one row of
    every class in turn: every batch holds the classes in equal shares."""
    def order(self, g):
        shuffled = []
        for c in sorted(set(self.labels)):
            rows = [i for i, label in enumerate(self.labels) if label == c]
            shuffled.append([rows[j] for j in torch.randperm(len(rows), generator=g).tolist()])
        out = []
        for k in range(max(len(rows) for rows in shuffled)):
            out += [rows[k] for rows in shuffled if k < len(rows)]
        return out` },
  sorted: { name: 'SortedSampler', code: `class SortedSampler(SeededSampler):
    """Batches sorted by class: a random permutation, then stably sorted by label, so each batch is one class
    but where the classes meet."""
    def order(self, g):
        return sorted(torch.randperm(len(self.labels), generator=g).tolist(), key=lambda i: self.labels[i])` },
};

// The DataLoader's arguments after the dataset, and the note on its line.
function loaderArgs(t: LabConfig['training']): [string, NoteKey] {
  const batch = `batch_size=${t.batchSize}`;
  switch (t.sampler) {
    case 'shuffle': return [`${batch}, shuffle=True`, 'loader'];
    case 'duplicates': return [`${batch}, sampler=RandomSampler(range(len(y_train)), replacement=True)`, 'loaderDuplicates'];
    case 'balanced': return [`${batch}, sampler=BalancedSampler(y_train)`, 'loaderBalanced'];
    case 'sorted': return [`${batch}, sampler=SortedSampler(y_train)`, 'loaderSorted'];
  }
}

const py = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v)); // float literals
// float32 values as Python literals; a diverged run's inf or NaN as float("inf"), float("nan").
const float = (v: number) => (Number.isFinite(v) ? String(Number(Math.fround(v).toPrecision(9))) : Number.isNaN(v) ? 'float("nan")' : `${v < 0 ? '-' : ''}float("inf")`);
const floats = (a: ArrayLike<number>) => `[${Array.from(a, float).join(', ')}]`;
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

// Run names as the script's dictionary keys: a name that repeats gets " (2)", " (3)" … so that no run is lost.
function uniqueNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 2; taken.has(name); k++) name = `${n} (${k})`;
    taken.add(name);
    return name;
  });
}

// The script for a configuration. With a payload it is the runnable export (data, weights, the page's logits);
// without one (the panel), the lines that would hold them show what they hold.
// It runs two ways: by default it loads the page's weights and trains on from them; with --from-scratch it
// keeps the weights it builds from the seed and trains exactly as the lab did — the same generator draws in
// the same order (core/lab.h: each run's model right after manual_seed(seed), then per epoch the DataLoader's
// two draws, then the dropout masks run by run), the same stopping rule — so it prints the page's epoch points
// (web/engine/epochpoint.ts). That holds while the runs started from the seed: not after Import model.
export function scriptLines(c: LabConfig, p: ExportPayload | null): ScriptLine[] {
  const lines: ScriptLine[] = [];
  const add = (code: string, note?: NoteKey, extra: Partial<ScriptLine> = {}) => lines.push({ code, note, ...extra });
  const block = (text: string) => text.split('\n').forEach((l) => add(l));
  const named = p ? p.runs.map((r) => ({ name: r.name, model: r.model })) : c.runs.map((r) => ({ name: r.name, model: JSON.parse(modelJson(c, r)) as ExportedRun['model'] }));
  const keys = uniqueNames(named.map((m) => m.name));
  const models = named.map((m, i) => ({ ...m, key: keys[i] }));
  const specs = JSON.stringify(models.map((m) => m.model));
  const d = c.data;
  const t = c.training;
  const own = d.type === 'custom';
  const n = own ? d.own.y.length : d.points;
  const sklearn = d.type === 'moons' || d.type === 'circles';
  const testRows = p ? p.data.testRows : Math.round(n * d.testFraction);
  const fromSeed = !p?.imported;
  const reached = p ? `after ${p.steps} steps (epoch ${p.epoch})` : 'when this was exported';

  add(`"""normlab lab exported to PyTorch: ${models.map((m) => m.name).join(' vs ')}.`, 'modes');
  block(`
Rebuilds the lab in PyTorch: the data, one nn.Sequential per run, the optimizer, batch size and epochs.
It runs one of two ways:
  python3 normlab_lab.py                 CONTINUE: loads the weights the page had ${reached}
                                         and trains on from them with a fresh optimizer (not the page's curves)
  python3 normlab_lab.py --from-scratch  REPRODUCE: retrains from seed ${t.seed}'s initial weights on the page's
                                         batches, with its dropout masks and optimizer, and prints the page's
                                         per-epoch curves (mean train loss, test loss, train and test accuracy)
Options: --epochs N trains N epochs instead of the lab's ${t.epochs}; --json prints every step's loss and the
per-epoch numbers as one JSON object; --float64 trains in float64 instead of float32; --check compares the
models' logits with the page's and exits.

--from-scratch gives the page's numbers to 1e-4 or better while training is well-conditioned. Where it is not —
a deep net, batches of two, a high learning rate, the eval-mode numbers of BatchNorm under Adam (the bias just
before a BatchNorm gets only rounding noise as gradient, which Adam turns into full-size steps) — float32
rounding alone, which differs between any two programs, moves the numbers apart within a few steps. --float64
shows how far: where it moves them as much, no float32 program, the page included, can give the same ones.`);
  if (!fromSeed) block(`
The page's runs started from weights imported from a model file (Import model), not from seed ${t.seed}'s
initial weights: --from-scratch retrains from seed ${t.seed} and will NOT give the page's curves.`);
  block(`
Needs torch (e.g. Debian's python3-torch)${sklearn ? '; scikit-learn is optional' : ''}.
"""`);
  add('import argparse');
  add('import json');
  add('import math');
  add('import torch', 'imports');
  add('import torch.nn as nn');
  const sampler = SAMPLER_CODE[t.sampler];
  add(`from torch.utils.data import DataLoader, ${t.sampler === 'duplicates' ? 'RandomSampler, ' : sampler ? 'Sampler, ' : ''}TensorDataset`);
  add('');
  add(`PAGE_CURVES_FROM_SEED = ${fromSeed ? 'True' : 'False'}`, fromSeed ? 'fromSeed' : 'imported');
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
  if (sampler) {
    add('');
    add('');
    add('class SeededSampler(Sampler):', 'samplerClass');
    block(SEEDED_SAMPLER.split('\n').slice(1).join('\n'));
    add('');
    add('');
    block(sampler.code);
  }
  add('');
  add('');
  add('# ---- models: one nn.Sequential per run (state_dict names match normlab\'s parameter names)');
  add('def build_models():');
  add('    models = {}', 'modelsDict');
  models.forEach((m, i) => {
    add(`    torch.manual_seed(${t.seed})`, i === 0 ? 'seed' : undefined);
    add(`    models[${str(m.key)}] = nn.Sequential(`, 'sequential', { suffix: ` “${m.name}”.` });
    let width = m.model.input;
    for (const l of m.model.layers) {
      const [code, next] = layerCode(l, width);
      width = next;
      add(`        ${code},`, l.type as NoteKey);
    }
    add('    )');
    const scale = m.model.init_scale ?? 1;
    if (scale !== 1) { // the lab's Init scale: PyTorch's default initialization of every Linear, × scale
      add('    with torch.no_grad():', 'initScale');
      add(`        for layer in models[${str(m.key)}].modules():`);
      add('            if isinstance(layer, nn.Linear):');
      add(`                layer.weight.mul_(${py(scale)})`);
      add('                if layer.bias is not None:');
      add(`                    layer.bias.mul_(${py(scale)})`);
    }
  });
  add('    return models');
  add('');
  add('');
  add('# ---- the weights the page had (float32), for load_state_dict');
  if (p) {
    add('WEIGHTS = {', 'weights');
    p.runs.forEach((r, i) => {
      add(`    ${str(keys[i])}: {`);
      for (const [k, v] of r.state) add(`        ${str(k)}: ${floats(v)},`);
      add('    },');
    });
    add('}');
  } else {
    add('WEIGHTS = {…}', 'weights');
  }
  add('');
  add('');
  add('def load_weights(models):', 'load');
  add('    for name, model in models.items():');
  add('        state = {k: torch.tensor(v).reshape(model.state_dict()[k].shape) for k, v in WEIGHTS[name].items()}');
  add('        for k in model.state_dict():');
  add('            if k.endswith("num_batches_tracked"):');
  add(`                state[k] = torch.tensor(${p ? p.steps : 0})`);
  add('        model.load_state_dict(state)');
  add('');
  add('');
  add('# ---- the page\'s first training points and its eval-mode logits on them, for --check');
  add(`CHECK_X = torch.tensor(${p ? floats(p.checkX) : '[]'}).reshape(-1, 2)`, 'checkData', { shown: 'CHECK_X = torch.tensor([…]).reshape(-1, 2)' });
  if (p) {
    add('CHECK_LOGITS = {');
    p.runs.forEach((r, i) => add(`    ${str(keys[i])}: ${floats(r.logits)},`));
    add('}');
  } else {
    add('CHECK_LOGITS = {…}');
  }
  add('');
  add('');
  add('def same_data():');
  add('    return torch.equal(X_train[: len(CHECK_X)], CHECK_X)');
  add('');
  add('');
  add('def check(models):', 'check');
  block(`    ok = same_data()
    print("data: the same points as the page" if ok else "data: DIFFERENT points from the page")
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
  add('def evaluate(model, X, y):', 'evaluate');
  block(`    model.eval()
    with torch.no_grad():
        logits = model(X)
    loss = nn.functional.cross_entropy(logits, y).item()
    accuracy = (logits.argmax(1) == y).double().mean().item() if math.isfinite(loss) else math.nan
    return loss, accuracy`);
  add('');
  add('');
  add('def show(row, names, stopped):');
  block(`    head = f"epoch {row['epoch']} (step {row['step']})"
    width = max([len(head)] + [len(name) + 2 for name in names])
    print(head.ljust(width) + "  mean train loss   test loss   train acc    test acc")
    cell = lambda v, text: text.format(v) if math.isfinite(v) else "—".rjust(len(text.format(0.0)))
    for i, name in enumerate(names):
        if name in stopped:
            print(f"  {name}".ljust(width) + f"  stopped at step {stopped[name]['step']}")
            continue
        numbers = [cell(row["train_loss"][i], "{:17.4f}"), cell(row["test_loss"][i], "{:12.4f}"),
                   cell(100 * row["train_accuracy"][i], "{:10.1f} %"), cell(100 * row["test_accuracy"][i], "{:10.1f} %")]
        print(f"  {name}".ljust(width) + "".join(numbers))`);
  add('');
  add('');
  const scalings = p?.scalings ?? [];
  if (scalings.length) {
    add('# ---- Scale weights on the page: (after this many steps, run, linear layer, α), replayed by --from-scratch', 'scalings');
    add('SCALINGS = [');
    for (const s of scalings) add(`    (${s.step}, ${str(keys[s.run])}, ${str(s.layer)}, ${py(s.alpha)}),`);
    add(']');
  } else add('SCALINGS = []', 'scalings');
  add('');
  add('');
  add('def train(models, epochs, say, as_json, dtype, scalings=()):');
  add('    x_train, x_test = X_train.to(dtype), X_test.to(dtype)', 'dtype');
  add('    models = {name: model.to(dtype) for name, model in models.items()}');
  const [loaderArgsCode, loaderNote] = loaderArgs(t);
  add(`    loader = DataLoader(TensorDataset(x_train, y_train), ${loaderArgsCode})`, loaderNote);
  add(`    optimizers = {name: ${optimizerCode(c).replace('model.parameters()', 'models[name].parameters()')} for name in models}`, 'optimizer');
  add('    criterion = nn.CrossEntropyLoss()', 'criterion');
  add('    stopped = {}', 'stopped');
  block(`    history = []
    losses = {name: [] for name in models}
    step = 0

    def stop(name, why, diverged):
        stopped[name] = {"step": step, "why": why, "diverged": diverged}
        if not as_json:
            print(f"step {step}: {name} stopped: {why}")

    if not as_json:
        print(say)`);
  add('    for epoch in range(epochs):', 'epochs');
  add('        totals = {name: 0.0 for name in models}');
  add('        for xb, yb in loader:', 'batches');
  add('            for at, name, layer, alpha in scalings:', 'scale');
  add('                if at == step and name not in stopped:');
  add('                    with torch.no_grad():');
  add('                        linear = models[name].get_submodule(layer)');
  add('                        linear.weight.mul_(alpha)');
  add('                        if linear.bias is not None:');
  add('                            linear.bias.mul_(alpha)');
  add('            step += 1');
  add('            for name, model in models.items():', 'models');
  add('                if name in stopped:');
  add('                    continue');
  add('                model.train()', 'train');
  add('                optimizers[name].zero_grad()', 'zero');
  add('                try:');
  add('                    loss = criterion(model(xb), yb)', 'loss');
  add('                except ValueError as error:', 'refused');
  add('                    stop(name, str(error), False)');
  add('                    continue');
  add('                if not math.isfinite(loss.item()):', 'diverged');
  add('                    stop(name, f"diverged: the loss is {\'NaN\' if math.isnan(loss.item()) else \'infinite\'}; parameters were not updated", True)');
  add('                    continue');
  add('                loss.backward()', 'backward');
  add('                if not all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None):', 'gradients');
  add('                    stop(name, "diverged: a gradient is not finite; parameters were not updated", True)');
  add('                    continue');
  add('                optimizers[name].step()', 'step');
  add('                losses[name].append(loss.item())');
  add('                totals[name] += loss.item()');
  add('        row = {"epoch": epoch + 1, "step": step, "train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}');
  add('        for name, model in models.items():');
  add('            on = name not in stopped');
  add('            row["train_loss"].append(totals[name] / len(loader) if on else math.nan)', 'epochMean');
  add('            row["train_accuracy"].append(evaluate(model, x_train, y_train)[1] if on else math.nan)', 'evaluated');
  add('            test_loss, test_accuracy = evaluate(model, x_test, y_test) if on and len(y_test) else (math.nan, math.nan)');
  add('            row["test_loss"].append(test_loss)');
  add('            row["test_accuracy"].append(test_accuracy)');
  block(`        history.append(row)
        if not as_json:
            show(row, list(models), stopped)
    if as_json:
        finite = lambda values: [v if math.isfinite(v) else None for v in values]
        epochs_out = [{k: finite(v) if isinstance(v, list) else v for k, v in row.items()} for row in history]
        print(json.dumps({"says": say, "dtype": str(dtype), "runs": list(models), "stopped": stopped,
                          "losses": [losses[name] for name in models], "epochs": epochs_out}))`);
  add('');
  add('');
  add('if __name__ == "__main__":');
  add('    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)');
  add('    how = parser.add_mutually_exclusive_group()');
  add(`    how.add_argument("--from-scratch", action="store_true", help="retrain from seed ${t.seed}'s initial weights: the page's curves")`);
  add('    how.add_argument("--check", action="store_true", help="compare the models\' logits with the page\'s and exit")');
  add(`    parser.add_argument("--epochs", type=int, default=${t.epochs}, help="epochs to train (default: the lab's ${t.epochs})")`);
  add('    parser.add_argument("--json", action="store_true", help="print every step\'s loss and the per-epoch numbers as one JSON object")');
  add('    parser.add_argument("--float64", action="store_true", help="train in float64: how far float32 rounding alone moves the numbers")');
  add('    args = parser.parse_args()');
  add('    models = build_models()');
  add('    if args.from_scratch:', 'fromScratch');
  add(`        say = "normlab --from-scratch: retraining from seed ${t.seed}'s initial weights on the page's batches"`);
  add('        if not PAGE_CURVES_FROM_SEED:');
  add('            say += " - NOT the page\'s curves: its runs started from weights imported from a model file"');
  if (sklearn) {
    add('        elif not same_data():');
    add('            say += " - NOT the page\'s curves: this scikit-learn made other points than the page\'s"');
  }
  add('        elif args.float64:');
  add('            say += " in float64: how far float32 rounding alone moves the page\'s curves"');
  add('        else:');
  add('            say += ": these are the page\'s per-epoch curves"');
  add('    else:');
  add('        load_weights(models)', 'continue');
  add(`        say = f"normlab: continuing from the page's weights ${reached}{' in float64' if args.float64 else ''} with a fresh optimizer (--from-scratch reproduces the page's curves)"`);
  add('    if args.check:');
  add('        raise SystemExit(0 if check(models) else 1)');
  add('    dtype = torch.float64 if args.float64 else torch.float32');
  add('    train(models, args.epochs, say, args.json, dtype, SCALINGS if args.from_scratch else ())', 'run');
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
