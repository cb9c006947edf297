// "Export PyTorch": a runnable Python script that rebuilds the lab in PyTorch — the same data, the same
// nn.Sequential per run, optimizer, batch size and epochs — with the current weights (load_state_dict), and a
// self-check: `python3 normlab_lab.py --check` recomputes the page's eval-mode logits on a few training points
// from the exported weights and compares them (1e-4). `--epochs N` trains for N epochs instead of the lab's.
import type { LabConfig } from '../config';

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

export function sequentialCode(model: ExportedRun['model']): string {
  let width = model.input;
  const parts = model.layers.map((l) => { const [code, next] = layerCode(l, width); width = next; return code; });
  return `nn.Sequential(\n        ${parts.join(',\n        ')},\n    )`;
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

function dataCode(p: ExportPayload): string {
  const d = p.config.data;
  if (d.type === 'moons' || d.type === 'circles') {
    const call = d.type === 'moons'
      ? `make_moons(n_samples=${d.points}, noise=${py(d.noise)}, random_state=${d.seed})`
      : `make_circles(n_samples=${d.points}, noise=${py(d.noise)}, random_state=${d.seed}, factor=0.8)`;
    const transform = d.scale !== 1 || d.shift !== 0 ? `
    X = X * ${py(d.scale)} + ${py(d.shift)}  # the lab's input scale and shift` : '';
    return `try:
    from sklearn.datasets import make_${d.type}
    X, y = ${call}  # normlab's points are exactly these${transform}
except ImportError:  # without scikit-learn: the same points, embedded
    X, y = X_EMBEDDED, Y_EMBEDDED`;
  }
  return `X, y = X_EMBEDDED, Y_EMBEDDED  # normlab's ${d.type} data (points, noise ${d.noise}, seed ${d.seed})`;
}

export function pytorchScript(p: ExportPayload): string {
  const c = p.config;
  const usesRms = JSON.stringify(p.runs.map((r) => r.model)).includes('"rmsnorm"');
  const usesResidual = JSON.stringify(p.runs.map((r) => r.model)).includes('"residual"');
  const n = p.data.y.length;
  return `"""normlab lab exported to PyTorch (${new Date().toISOString().slice(0, 10)}): ${p.runs.map((r) => r.name).join(' vs ')}.

Rebuilds the lab — data, models, optimizer, batch size, epochs — and loads the weights the page had after
${p.steps} steps (epoch ${p.epoch}). Needs torch (e.g. Debian's python3-torch); scikit-learn is optional.
    python3 normlab_lab.py            train for the lab's ${c.training.epochs} epochs from the exported weights
    python3 normlab_lab.py --epochs 3 train for 3 epochs
    python3 normlab_lab.py --check    compare the models' logits with the page's and exit
"""
import argparse
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# ---- data: ${c.data.type}, ${c.data.points} points, noise ${c.data.noise}, seed ${c.data.seed}; the last ${p.data.testRows} are the test set
X_EMBEDDED = torch.tensor(${floats(p.data.x)}).reshape(-1, 2).numpy()
Y_EMBEDDED = torch.tensor(${JSON.stringify(p.data.y)}).numpy()
${dataCode(p)}
X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y, dtype=torch.long)
N_TRAIN = ${n - p.data.testRows}
X_train, y_train, X_test, y_test = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]
${usesRms ? `

class RMSNorm(nn.Module):
    """y = x / sqrt(mean(x²) + eps) · weight (no centering, no bias)."""
    def __init__(self, width, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight
` : ''}${usesResidual ? `

class Residual(nn.Sequential):
    """x + f(x), f the inner layers."""
    def forward(self, x):
        return x + super().forward(x)
` : ''}

# ---- models: one nn.Sequential per run (state_dict names match normlab's parameter names)
torch.manual_seed(${c.training.seed})
models = {
${p.runs.map((r) => `    ${str(r.name)}: ${sequentialCode(r.model)},`).join('\n')}
}

# ---- the weights the page had (float32), loaded with load_state_dict
WEIGHTS = {
${p.runs.map((r) => `    ${str(r.name)}: {\n${r.state.map(([k, v]) => `        ${str(k)}: ${floats(v)},`).join('\n')}\n    },`).join('\n')}
}
for name, model in models.items():
    state = {k: torch.tensor(v).reshape(model.state_dict()[k].shape) for k, v in WEIGHTS[name].items()}
    for k in model.state_dict():
        if k.endswith("num_batches_tracked"):
            state[k] = torch.tensor(${p.steps})
    model.load_state_dict(state)

# ---- the page's first training points and its eval-mode logits on them, for --check
CHECK_X = torch.tensor(${floats(p.checkX)}).reshape(-1, 2)
CHECK_LOGITS = {
${p.runs.map((r) => `    ${str(r.name)}: ${floats(r.logits)},`).join('\n')}
}


def check():
    same_data = torch.equal(X_train[: len(CHECK_X)], CHECK_X)
    print("data: the same points as the page" if same_data else "data: DIFFERENT points from the page")
    ok = same_data
    for name, model in models.items():
        model.eval()
        with torch.no_grad():
            got = model(CHECK_X).flatten()
        want = torch.tensor(CHECK_LOGITS[name])
        err = ((got - want).abs() - 1e-3 * want.abs()).max().item()
        print(f"{name}: max |logit - page| beyond 1e-3 relative = {max(err, 0):.2e}")
        ok = ok and err <= 1e-4
    print("ok: PyTorch gives the page's logits" if ok else "MISMATCH")
    return ok


def train(epochs):
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=${c.training.batchSize}, shuffle=True)
    optimizers = {name: ${optimizerCode(c).replace('model.parameters()', 'models[name].parameters()')} for name in models}
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        totals = {name: 0.0 for name in models}
        for xb, yb in loader:
            for name, model in models.items():  # every model steps on the same batch
                model.train()
                optimizers[name].zero_grad()
                loss = criterion(model(xb), yb)
                loss.backward()
                optimizers[name].step()
                totals[name] += loss.item()
        line = ", ".join(f"{name} {total / len(loader):.4f}" for name, total in totals.items())
        print(f"epoch {epoch + 1}: mean train loss {line}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--epochs", type=int, default=${c.training.epochs})
    args = parser.parse_args()
    if args.check:
        raise SystemExit(0 if check() else 1)
    train(args.epochs)
`;
}
