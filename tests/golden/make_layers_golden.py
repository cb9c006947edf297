"""Golden values for lab.layerOutputs ("Inside the network"): every top-level layer's output, each normalization's
statistics, and the histograms of each normalization's input and output, recorded with PyTorch forward hooks.

Usage (Debian's python3 has torch 1.13 and scikit-learn):
  /usr/bin/python3 tests/golden/make_layers_golden.py [--out tests/golden/traces]
Writes tests/golden/traces/layers.json (deterministic: running it again gives the same bytes), replayed by
tests/node/layers.test.mjs.

Each case is a model built with PyTorch's default init (torch.manual_seed(seed); build(model), as the Lab's
runs are), trained for `steps` full-batch steps on one fixed batch (make_moons, `batch` rows) so that BatchNorm's
running statistics are not the initial ones. Then, with forward hooks on every top-level module (a residual
block is one module), the `query` rows (the batch, then points around and far from it) go through the model:
  eval         model.eval(): BatchNorm normalizes with running_mean / running_var
  train_batch  (cases with a BatchNorm) every BatchNorm, nested ones included, normalizes with the mean and
               BIASED variance of its input in the last training forward (a forward pre-hook records them), as
               F.batch_norm(x, batch_mean, batch_var, weight, bias, training=False, eps) does; the other layers
               as in eval
Fields per case:
  name, model, optimizer (normlab JSON), seed, steps, batch (rows of the training batch), y (their labels)
  query            (rows × 2): the first `batch` rows are the training batch, in order
  initial_state    [[name, floats], ...]: state_dict right after build (num_batches_tracked dropped)
  before_last_state, final_state: before the last training step, and after it
  modes            {eval, train_batch?}: {layers, histograms}
    layers         [{index, type, features, values (rows × features)}], a normalization layer also with
                   mean, var (float64 from the float32 input, then float32; biased; rmsnorm: mean 0, var the mean
                   of squares), eps: batchnorm one per feature (its running statistics in eval, the last batch's
                   in train_batch), layernorm / rmsnorm one per row, groupnorm one per row and group (row-major)
    histograms     [{layer, input, output}]: torch.histc(v, bins) counts over the training batch's rows (the
                   first `batch` rows of the query) of the layer's input (the previous layer's output, or the
                   query) and output; web/state/histogram.ts must count the same. unit: {index, input,
                   output}, the unit index = features // 2 alone, torch.histc(v, bins, min, max) over the pooled
                   values' range (histogramOver)
  conditioning     max over every output and statistic of |float32 − float64| / (1e-4 + 1e-3·|float64|): the same
                   pass in float64 from the same float32 weights; kept below 0.05 (the replay tolerance is 1)
RMSNorm: torch 1.13 has no nn.RMSNorm; make_golden.RMSNorm is its formula, x · rsqrt(mean(x²) + eps) · weight
(nn.RMSNorm's default eps is finfo.eps; normlab's, used here, is 1e-6).
"""
import os
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import make_moons

from make_golden import out_arg, RMSNorm, build, header, make_optimizer, state_pairs, write
from make_inspect_golden import f32

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traces", "layers.json")
BINS, BATCH, STEPS = 30, 24, 6
# Points around the data and far from it (the network view draws the plane beyond the data).
EXTRA = [[0.0, 0.0], [3.0, 3.0], [-2.5, 1.0], [1.0, -1.0], [4.0, -2.0], [-1.0, -1.5]]

L, BN, LN, GN, RMS = ({"type": t} for t in ("linear", "batchnorm", "layernorm", "groupnorm", "rmsnorm"))
CASES = [
    ("batchnorm before relu", 3,
     {"input": 2, "layers": [{**L, "out": 8}, BN, {"type": "relu"}, {**L, "out": 8}, BN, {"type": "relu"},
                             {"type": "dropout", "p": 0.2}, {**L, "out": 2}]},
     {"type": "adam", "lr": 0.05}),
    ("layernorm after tanh, rmsnorm after sigmoid", 4,
     {"input": 2, "layers": [{**L, "out": 8}, {"type": "tanh"}, LN, {**L, "out": 8}, {"type": "sigmoid"}, RMS,
                             {**L, "out": 2}]},
     {"type": "sgd", "lr": 0.2, "momentum": 0.9}),
    ("groupnorm, pre-norm residual block", 5,
     {"input": 2, "layers": [{**L, "out": 8}, {**GN, "groups": 2}, {"type": "relu"},
                             {"type": "residual", "layers": [LN, {**L, "out": 8}, {"type": "gelu"}, {**L, "out": 8}]},
                             {**L, "out": 2}]},
     {"type": "adamw", "lr": 0.05}),
    ("batchnorm after sigmoid, a residual block with a batchnorm", 6,
     {"input": 2, "layers": [{**L, "out": 8}, {"type": "sigmoid"}, {**BN, "momentum": 0.3},
                             {"type": "residual", "layers": [BN, {**L, "out": 8}, {"type": "tanh"}]},
                             {"type": "leaky_relu"}, {**L, "out": 2}]},
     {"type": "adam", "lr": 0.05}),
]
NORMS = {nn.BatchNorm1d: "batchnorm", nn.LayerNorm: "layernorm", RMSNorm: "rmsnorm", nn.GroupNorm: "groupnorm"}


def statistics(module, x, batch_stats):
    """What `module` normalized the rows of x (float64) with: (mean, var, eps, extra fields)."""
    kind = NORMS[type(module)]
    if kind == "batchnorm":  # one per feature: the last training batch's, or the running ones
        mean, var = batch_stats.get(module, (module.running_mean, module.running_var))
        return mean, var, module.eps, {"running": module not in batch_stats}
    rows, width = x.shape
    groups = module.num_groups if kind == "groupnorm" else 1
    v = x.reshape(rows * groups, width // groups)
    if kind == "rmsnorm":
        return torch.zeros(v.shape[0], dtype=x.dtype), (v * v).mean(1), module.eps, {"groups": 1}
    return v.mean(1), v.var(1, unbiased=False), module.eps, {"groups": groups}


def record(model, query, batch_stats):
    """One pass over the query with hooks on every top-level module: [(module, input, output)]; BatchNorms use
    `batch_stats` (module -> (mean, var)) when given, else their running statistics."""
    seen = []
    hooks = [m.register_forward_hook(lambda m, i, o: seen.append((m, i[0].detach(), o.detach()))) for m in model]
    saved = {}
    with torch.no_grad():
        for m, (mean, var) in (batch_stats or {}).items():
            saved[m] = (m.running_mean.clone(), m.running_var.clone())
            m.running_mean.copy_(mean), m.running_var.copy_(var)
        model.eval()
        model(query)
        for m, (mean, var) in saved.items():
            m.running_mean.copy_(mean), m.running_var.copy_(var)
    for h in hooks:
        h.remove()
    return seen


def layers_of(spec, seen, batch_stats):
    """The golden's layers (tensors still in their dtype, statistics in float64)."""
    out = []
    for index, (m, x, y) in enumerate(seen):
        layer = {"index": index, "type": spec["layers"][index]["type"], "features": y.shape[1], "values": y}
        if type(m) in NORMS:
            mean, var, eps, extra = statistics(m, x.double(), batch_stats or {})
            layer.update({"mean": mean.double(), "var": var.double(), "eps": eps, **extra})
        out.append(layer)
    return out


def histograms(seen):
    result = []
    for index, (m, x, y) in enumerate(seen):
        if type(m) not in NORMS:
            continue
        counts = [torch.histc(v[:BATCH].float().flatten(), bins=BINS).to(torch.int64).tolist() for v in (x, y)]
        # One unit alone over the pooled histogram's range (the page draws it over the pooled bars).
        unit = x.shape[1] // 2
        units = [torch.histc(v[:BATCH, unit].float(), bins=BINS, min=v[:BATCH].float().min().item(),
                             max=v[:BATCH].float().max().item()).to(torch.int64).tolist() for v in (x, y)]
        result.append({"layer": index, "input": counts[0], "output": counts[1],
                       "unit": {"index": unit, "input": units[0], "output": units[1]}})
    return result


def make_case(name, seed, spec, opt_spec):
    X, Y = make_moons(n_samples=BATCH, noise=0.2, random_state=seed)
    x = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(Y, dtype=torch.long)
    query = torch.cat([x, torch.tensor(EXTRA, dtype=torch.float32)])
    torch.manual_seed(seed)  # the Lab builds each run right after seeding PyTorch's generator with its seed
    model = build(spec)
    initial = state_pairs(model)
    opt = make_optimizer(model.parameters(), opt_spec)
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
    last_batch = {}  # BatchNorm -> (mean, biased var) of its input in the last training forward
    pre = [m.register_forward_pre_hook(lambda m, i: last_batch.__setitem__(
        m, (i[0].detach().double().mean(0).float(), i[0].detach().double().var(0, unbiased=False).float())))
        for m in norms]
    for step in range(STEPS):
        if step == STEPS - 1:
            before_last = state_pairs(model)
        model.train()
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    for h in pre:
        h.remove()
    final = state_pairs(model)

    model64 = build(spec).double()
    model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    twin = dict(zip(model.modules(), model64.modules()))
    modes, worst = {}, 0.0
    for mode, stats in [("eval", None), ("train_batch", last_batch)] if norms else [("eval", None)]:
        seen = record(model, query, stats)
        stats64 = {twin[m]: (mean.double(), var.double()) for m, (mean, var) in stats.items()} if stats else None
        seen64 = record(model64, query.double(), stats64)
        layers, layers64 = layers_of(spec, seen, stats), layers_of(spec, seen64, stats64)
        for a, b in zip(layers, layers64):
            for key in ("values", "mean", "var"):
                if key in a:
                    want = b[key].double()
                    err = (a[key].double() - want).abs() / (1e-4 + 1e-3 * want.abs())
                    worst = max(worst, err.max().item())
        for layer in layers:
            for key in ("values", "mean", "var"):
                if key in layer:
                    layer[key] = f32(layer[key].float())
        modes[mode] = {"layers": layers, "histograms": histograms(seen)}
    if worst >= 0.05:
        raise RuntimeError(f"{name}: float32 lands {worst:.3f} of the tolerance from float64")
    return {"name": name, "model": spec, "optimizer": opt_spec, "seed": seed, "steps": STEPS, "batch": BATCH,
            "y": y.tolist(), "query": f32(query), "initial_state": initial, "before_last_state": before_last,
            "final_state": final, "modes": modes, "conditioning": round(worst, 6)}


def main():
    out = out_arg(__doc__, os.path.dirname(OUT))
    torch.set_num_threads(1)
    cases = [make_case(*c) for c in CASES]
    trace = {**header("layers", "layers"), "bins": BINS, "cases": cases}
    write(out, "layers", trace, {"name": 2, "index": 4})
    print(f"conditioning {[c['conditioning'] for c in cases]}")


if __name__ == "__main__":
    main()
