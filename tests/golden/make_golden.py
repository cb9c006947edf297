"""Write golden traces: PyTorch runs that normlab's C++ engine must reproduce number for number.

Usage (Debian's python3 has torch 1.13 and scikit-learn):
  /usr/bin/python3 tests/golden/make_golden.py --out tests/golden/traces --count 10 --seed 1234 --extras
Each random case is a small model + optimizer trained for 20 steps; see tests/golden/README.md for the format.
"""
import argparse, json, os, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

FORMAT, VERSION = "normlab-golden", 1

# ---------------------------------------------------------------- model JSON -> torch

class RMSNorm(nn.Module):
    """torch 1.13 has no RMSNorm: y = x / sqrt(mean(x^2) + eps) * weight, over the last dimension."""
    def __init__(self, width, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight

class Residual(nn.Sequential):
    """x + f(x), where f is the nested sequence (it must keep the width)."""
    def forward(self, x):
        return x + super().forward(x)

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}  # GELU: exact erf form

def build_layers(layers, width):
    """Return (modules, output width) for a list of layer specs fed `width` features."""
    modules = []
    for layer in layers:
        kind, get = layer["type"], layer.get
        if kind == "linear":
            modules.append(nn.Linear(width, layer["out"]))
            width = layer["out"]
        elif kind == "batchnorm":
            modules.append(nn.BatchNorm1d(width, eps=get("eps", 1e-5), momentum=get("momentum", 0.1)))
        elif kind == "layernorm":
            modules.append(nn.LayerNorm(width, eps=get("eps", 1e-5)))
        elif kind == "rmsnorm":
            modules.append(RMSNorm(width, eps=get("eps", 1e-6)))
        elif kind == "groupnorm":  # on (N, C) input: statistics per row over each group of C / groups features
            modules.append(nn.GroupNorm(layer["groups"], width, eps=get("eps", 1e-5)))
        elif kind == "dropout":
            modules.append(nn.Dropout(get("p", 0.5)))
        elif kind in ACTIVATIONS:
            modules.append(ACTIVATIONS[kind]())
        elif kind == "leaky_relu":
            modules.append(nn.LeakyReLU(get("slope", 0.01)))
        elif kind == "residual":
            inner, inner_width = build_layers(layer["layers"], width)
            if inner_width != width:
                raise ValueError(f"residual changes width {width} -> {inner_width}")
            modules.append(Residual(*inner))
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    return modules, width

def build(spec):
    """Model JSON dict -> nn.Sequential whose state_dict names match the engine's parameter table."""
    modules, _ = build_layers(spec["layers"], spec["input"])
    return nn.Sequential(*modules)

def make_optimizer(params, opt):
    kind = opt["type"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=opt["lr"], momentum=opt.get("momentum", 0), dampening=opt.get("dampening", 0),
                               weight_decay=opt.get("weight_decay", 0), nesterov=opt.get("nesterov", False))
    if kind in ("adam", "adamw"):
        cls, wd = (torch.optim.Adam, 0) if kind == "adam" else (torch.optim.AdamW, 0.01)
        return cls(params, lr=opt.get("lr", 0.001), betas=tuple(opt.get("betas", (0.9, 0.999))),
                   eps=opt.get("eps", 1e-8), weight_decay=opt.get("weight_decay", wd))
    raise ValueError(f"unknown optimizer {kind!r}")

def shift_biases(layers, end, prefix):
    """Biases that add the same vector to every row of the input of layers[end]: walking back, a linear
    passes such a shift on (its bias is one), a norm's bias is one but the norm itself stops the walk."""
    names = []
    for j in range(end - 1, -1, -1):
        kind = layers[j]["type"]
        if kind in ("linear", "batchnorm", "layernorm", "groupnorm"):
            names.append(f"{prefix}{j}.bias")
        if kind != "linear":
            break
    return names

def noisy_names(layers, opt, prefix=""):
    """A batchnorm subtracts the batch mean, so a bias that shifts all rows of its input alike gets only
    rounding-noise gradients; Adam rescales those to full-size steps. Under adam/adamw such biases and
    the batchnorm's running_mean (which tracks them) are noise."""
    if opt["type"] not in ("adam", "adamw"):
        return []
    names = []
    for j, layer in enumerate(layers):
        if layer["type"] == "residual":
            names += noisy_names(layer["layers"], opt, f"{prefix}{j}.")
        elif layer["type"] == "batchnorm":
            biases = shift_biases(layers, j, prefix)
            names += biases + ([f"{prefix}{j}.running_mean"] if biases else [])
    return names

# ---------------------------------------------------------------- JSON output with compact float32

class Raw(str):
    """Text inserted into the JSON output as is."""

def f32(values):
    """A flat list of float32 values, each written in the shortest form that reads back to the same float32
    (at most 9 significant digits)."""
    flat = np.asarray(values, dtype=np.float32).ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError("non-finite value in trace")
    return Raw("[" + ",".join(str(v) for v in flat) + "]")

def dump(obj):
    if isinstance(obj, Raw):
        return str(obj)
    if isinstance(obj, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + dump(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(dump(v) for v in obj) + "]"
    return json.dumps(obj)

def write(out_dir, name, trace, breaks=None):
    """One top-level field per line, so a diff of two traces stays readable; breaks {key: indent}: a new line
    before every object in a list that starts with that key (one case per line)."""
    path = os.path.join(out_dir, name + ".json")
    body = ",\n".join(" " + json.dumps(k) + ": " + dump(v) for k, v in trace.items())
    for key, indent in (breaks or {}).items():
        body = body.replace("}, {" + json.dumps(key), "},\n" + " " * indent + "{" + json.dumps(key))
    with open(path, "w") as f:
        f.write("{\n" + body + "\n}\n")
    json.load(open(path))  # it parses
    print(f"{path}  {os.path.getsize(path)} bytes")

def header(kind, name):  # the first fields of every trace
    return {"format": FORMAT, "version": VERSION, "torch": torch.__version__, "kind": kind, "name": name}

def state_pairs(model):
    """state_dict as [[name, flat floats], ...] in state_dict order, without num_batches_tracked."""
    return [[k, f32(v.detach().numpy())] for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]

# ---------------------------------------------------------------- random cases

NORMS = ["none", "batchnorm", "layernorm", "rmsnorm", "groupnorm"]
ACTS = ["relu", "tanh", "sigmoid", "gelu", "leaky_relu"]
WIDTHS = [4, 8, 12, 16, 24, 32]
N_ROWS, STEPS, MAX_STATE = 96, 20, 2000  # MAX_STATE floats per state keeps a case file under ~80 KB

OPTIONAL = {  # optional layer fields: (default, other values to try)
    "batchnorm": {"momentum": (0.1, [0.3]), "eps": (1e-5, [1e-3])}, "layernorm": {"eps": (1e-5, [1e-4])},
    "rmsnorm": {"eps": (1e-6, [1e-5])}, "groupnorm": {"eps": (1e-5, [1e-4])},
    "leaky_relu": {"slope": (0.01, [0.1, 0.2])}, "dropout": {"p": (0.5, [0.1, 0.3])}}

def make_layer(rng, kind, width):
    """A layer spec: non-default values sometimes, a default written out only sometimes."""
    layer = {"type": kind}
    if kind == "groupnorm":  # each group keeps at least 4 features
        layer["groups"] = rng.choice(sorted({g for g in (width // 4, width // 8, 1) if g >= 1 and width % g == 0
                                             and width // g >= 4}))
    for key, (default, others) in OPTIONAL.get(kind, {}).items():
        value = rng.choice([default, default] + others)
        if value != default or rng.random() < 0.3:
            layer[key] = value
    return layer

def random_spec(rng, i, width):
    """Hidden blocks linear -> norm/activation (either order), optional dropout and residual, linear head.
    Block 0 cycles through the norms and activations with i, so a few cases cover every layer type."""
    n_in, classes, n_blocks = rng.randint(2, 6), rng.randint(2, 5), rng.randint(1, 4)
    layers = []
    for b in range(n_blocks):
        norm = NORMS[i % 5] if b == 0 else rng.choice(NORMS)
        act = make_layer(rng, ACTS[(3 * i) % 5] if b == 0 else rng.choice(ACTS), width)
        block = [{"type": "linear", "out": width}]
        if norm == "none":
            block.append(act)
        elif rng.random() < 0.5:
            block += [make_layer(rng, norm, width), act]
        else:
            block += [act, make_layer(rng, norm, width)]
        if (i % 3 == 1 and b == n_blocks - 1) or rng.random() < 0.2:
            block.append(make_layer(rng, "dropout", width))
        layers += block
    if i % 3 == 0:
        act = make_layer(rng, rng.choice(ACTS), width)
        inner = [{"type": "linear", "out": width}, act, {"type": "linear", "out": width}]
        if (i // 3) % 2 == 0:  # pre-norm: x + f(LN(x))
            layers.append({"type": "residual", "layers": [make_layer(rng, "layernorm", width)] + inner})
        else:                  # post-norm: LN(x + f(x))
            layers += [{"type": "residual", "layers": inner}, make_layer(rng, "layernorm", width)]
    layers.append({"type": "linear", "out": classes})
    return {"input": n_in, "layers": layers}

def random_optimizer(rng, i):
    """Cycle plain SGD, SGD with momentum (nesterov / dampening / weight decay variants), Adam, AdamW."""
    kind, variant = i % 4, (i // 4) % 3
    if kind == 0:
        opt = {"type": "sgd", "lr": rng.choice([0.05, 0.1]), **({"momentum": 0} if rng.random() < 0.3 else {})}
    elif kind == 1:
        opt = {"type": "sgd", "lr": rng.choice([0.001, 0.01]), "momentum": 0.9}
        opt.update([{"nesterov": True}, {"dampening": 0.1, "weight_decay": 1e-3}, {"weight_decay": 0.01}][variant])
    else:
        opt = {"type": "adam" if kind == 2 else "adamw", "lr": rng.choice([0.001, 0.01])}
        if variant != 1:
            opt["betas"] = rng.choice([[0.9, 0.999], [0.8, 0.99]])
        if kind == 2 and variant == 1:
            opt["weight_decay"] = 0.01
        if kind == 3:
            opt["weight_decay"] = rng.choice([0.01, 0.1])
        if rng.random() < 0.3:
            opt["eps"] = rng.choice([1e-8, 1e-6])
    return opt

def state_size(spec):
    return sum(v.numel() for k, v in build(spec).state_dict().items() if not k.endswith("num_batches_tracked"))

def train(spec, opt_spec, initial_state, train_seed, x, y, batches, dtype):
    """Trains from `initial_state` (a state_dict) in `dtype`; returns (model, losses, eval logits)."""
    model = build(spec).to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in initial_state.items()})
    opt = make_optimizer(model.parameters(), opt_spec)
    x = x.to(dtype)
    torch.manual_seed(train_seed)
    losses = []
    for idx in batches:  # dropout masks come from the global generator, seeded just above
        model.train(); opt.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward(); opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return model, losses, logits

def conditioning(spec, opt_spec, model32, losses32, model64, losses64):
    """How far float32 PyTorch lands from the same run in float64, in units of the replay tolerance
    (loss 1e-4 relative; state 1e-4 absolute + 1e-3 relative). A case near 1 is chaotic: rounding alone
    decides it, so it cannot tell a correct float32 engine from a wrong one."""
    loss = max(abs(a - b) / (1e-4 * abs(b)) for a, b in zip(losses32, losses64))
    noisy = set(noisy_names(spec["layers"], opt_spec))
    state64 = model64.state_dict()
    param = 0.0
    for k, v in model32.state_dict().items():
        if k in noisy or k.endswith("num_batches_tracked"):
            continue
        w = state64[k]
        param = max(param, ((v.double() - w).abs() / (1e-4 + 1e-3 * w.abs())).max().item())
    return {"loss": loss, "state": param}

MAX_CONDITIONING = 0.05  # keep cases where float32 rounding moves results by < 5 % of the tolerance

def train_checked(spec, opt_spec, initial_state, train_seed, x, y, batches):
    """The float32 run (model, losses, eval logits) and its conditioning against the same run in float64."""
    model, losses, logits = train(spec, opt_spec, initial_state, train_seed, x, y, batches, torch.float32)
    model64, losses64, _ = train(spec, opt_spec, initial_state, train_seed, x, y, batches, torch.float64)
    return model, losses, logits, conditioning(spec, opt_spec, model, losses, model64, losses64)

def make_case(seed, i):
    rng = random.Random(seed * 1000 + i)
    redrawn = 0
    while True:  # draw until the case is well conditioned (deterministic: the same rng every time)
        spec = random_spec(rng, i, WIDTHS[(seed + i) % len(WIDTHS)])  # consecutive cases cycle the widths
        while state_size(spec) > MAX_STATE:  # too big for a small trace: draw again (deterministic)
            spec = random_spec(rng, i, rng.choice(WIDTHS))
        opt_spec = random_optimizer(rng, i)
        classes = spec["layers"][-1]["out"]
        # Data from its own generator, before any global seeding.
        gen = torch.Generator().manual_seed(rng.randrange(2**31))
        x = torch.randn(N_ROWS, spec["input"], generator=gen) * rng.choice([1, 3]) + rng.choice([0, 2])
        y = torch.randint(0, classes, (N_ROWS,), generator=gen)
        fixed_batch, size = rng.random() < 0.5, rng.randint(2, 64)
        batches = [rng.sample(range(N_ROWS), size if fixed_batch else rng.randint(2, 64)) for _ in range(STEPS)]
        init_seed, train_seed = rng.randrange(2**31), rng.randrange(2**31)

        torch.manual_seed(init_seed)
        initial_model = build(spec)
        initial_state = {k: v.clone() for k, v in initial_model.state_dict().items()}
        model, losses, logits, cond = train_checked(spec, opt_spec, initial_state, train_seed, x, y, batches)
        if max(cond.values()) < MAX_CONDITIONING:
            break
        redrawn += 1
    name = f"case_{seed}_{i}"
    return name, {**header("train", name), "model": spec, "optimizer": opt_spec,
                  "init_seed": init_seed, "train_seed": train_seed, "n": N_ROWS,
                  "x": f32(x.numpy()), "y": y.tolist(), "batches": batches,
                  "initial_state": state_pairs(initial_model), "losses": f32(losses),
                  "final_state": state_pairs(model), "eval_logits": f32(logits.numpy()),
                  "noisy": noisy_names(spec["layers"], opt_spec),
                  "conditioning": {k: round(v, 6) for k, v in cond.items()}, "redrawn": redrawn}

# ---------------------------------------------------------------- fixed extras

def layernorm_lesson():
    torch.manual_seed(0)  # exactly the lesson's example
    x = torch.randn(4, 10) * 5 + 20
    ln = nn.LayerNorm(10)
    y = ln(x).detach()
    return {**header("layernorm", "layernorm_lesson"), "x": f32(x), "y": f32(y),
            "weight": f32(ln.weight.detach()), "bias": f32(ln.bias.detach()), "eps": ln.eps,
            "mean_before": f32(x.mean(dim=1)), "var_before": f32(x.var(dim=1)),
            "mean_after": f32(y.mean(dim=1)), "var_after": f32(y.var(dim=1)),
            "var_after_biased": f32(y.var(dim=1, unbiased=False))}

def datasets_sklearn():
    from sklearn.datasets import make_moons, make_circles
    out = {"moons": [], "circles": []}
    for n, noise, seed in [(100, 0.2, 0), (2000, 0.2, 0), (2000, 0.2, 1), (101, 0.0, 3), (57, 0.3, 42)]:
        for key, (X, y) in [("moons", make_moons(n_samples=n, noise=noise, random_state=seed)),
                            ("circles", make_circles(n_samples=n, noise=noise, random_state=seed, factor=0.8))]:
            out[key].append({"n": n, "noise": noise, "seed": seed, "x": f32(X.astype(np.float32)), "y": y.tolist()})
    return {**header("datasets", "datasets_sklearn"), **out}

class RecordingDataset(torch.utils.data.TensorDataset):
    """A TensorDataset that records every index the loader asks for; it draws no random numbers."""
    def __init__(self, *tensors):
        super().__init__(*tensors)
        self.served = []

    def __getitem__(self, index):
        self.served.append(int(index))
        return super().__getitem__(index)

def lesson_mlp(bn):
    """The lesson's MLP: Linear(2,64) [BN] ReLU Linear(64,64) [BN] ReLU Linear(64,2), as model JSON."""
    norm = [{"type": "batchnorm"}] if bn else []
    return {"input": 2, "layers": [{"type": "linear", "out": 64}, *norm, {"type": "relu"},
                                   {"type": "linear", "out": 64}, *norm, {"type": "relu"}, {"type": "linear", "out": 2}]}

def run_lesson(seed, epochs, record):
    """The lesson's experiment (shared/reference/seed_bn_experiment.py), cut to `epochs` epochs.
    record=False runs the reference code path untouched (plain TensorDataset) to check the recording."""
    from sklearn.datasets import make_moons
    from torch.utils.data import DataLoader, TensorDataset
    torch.manual_seed(seed)
    X, y = make_moons(n_samples=2000, noise=0.2, random_state=seed)
    X = torch.tensor(X, dtype=torch.float32); y = torch.tensor(y, dtype=torch.long)
    dataset = RecordingDataset(X, y) if record else TensorDataset(X, y)
    loader = DataLoader(dataset, batch_size=64, shuffle=True)
    m1, m2 = build(lesson_mlp(False)), build(lesson_mlp(True))  # consecutive draws, as in the reference
    init_a, init_b = state_pairs(m1), state_pairs(m2)
    o1, o2 = torch.optim.Adam(m1.parameters(), lr=0.01), torch.optim.Adam(m2.parameters(), lr=0.01)
    crit = nn.CrossEntropyLoss()
    losses_a, losses_b, epoch_a, epoch_b, perms = [], [], [], [], []
    for epoch in range(epochs):
        t1 = t2 = 0.0
        for bx, by in loader:
            o1.zero_grad(); l1 = crit(m1(bx), by); l1.backward(); o1.step(); t1 += l1.item()
            o2.zero_grad(); l2 = crit(m2(bx), by); l2.backward(); o2.step(); t2 += l2.item()
            losses_a.append(l1.item()); losses_b.append(l2.item())
        epoch_a.append(t1 / len(loader)); epoch_b.append(t2 / len(loader))
        if record:
            perms.append(dataset.served[:]); dataset.served.clear()
    return {**header("lesson", f"lesson_seed{seed}"), "seed": seed, "epochs": epochs,
            "data": {"make_moons": {"n_samples": 2000, "noise": 0.2, "random_state": seed}},
            "batch_size": 64, "optimizer": {"type": "adam", "lr": 0.01},
            "model_a": lesson_mlp(False), "model_b": lesson_mlp(True),
            "noisy_b": noisy_names(lesson_mlp(True)["layers"], {"type": "adam"}),
            "losses_a": losses_a, "losses_b": losses_b, "epoch_loss_a": epoch_a, "epoch_loss_b": epoch_b,
            "perms": perms, "initial_state_a": init_a, "initial_state_b": init_b,
            "final_state_a": state_pairs(m1), "final_state_b": state_pairs(m2)}

def lesson(seed=0, epochs=3):
    trace = run_lesson(seed, epochs, record=True)
    plain = run_lesson(seed, epochs, record=False)
    if trace["losses_a"] != plain["losses_a"] or trace["losses_b"] != plain["losses_b"]:
        raise RuntimeError("recording the loader's indices changed the run")
    for epoch_perm in trace["perms"]:
        assert sorted(epoch_perm) == list(range(2000))
    for key in ("losses_a", "losses_b", "epoch_loss_a", "epoch_loss_b"):
        trace[key] = f32(trace[key])
    return trace

def dropout_check():
    torch.manual_seed(7); x = torch.randn(8, 16)
    torch.manual_seed(11); y = F.dropout(x, p=0.3, training=True)
    return {**header("dropout", "dropout_check"), "x_seed": 7, "seed": 11, "p": 0.3,
            "x": f32(x), "y": f32(y), "kept": (y != 0).int().flatten().tolist()}  # no x is exactly 0

def out_arg(doc, default):
    """--out DIR for a golden script that writes fixed file names (default: tests/golden/traces)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--out", default=default)
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "traces"))
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--extras", action="store_true", help="also write the fixed lesson/dataset/dropout traces")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # one thread: the same float sums on every run
    for i in range(args.count):
        name, trace = make_case(args.seed, i)
        write(args.out, name, trace)
    if args.extras:
        write(args.out, "layernorm_lesson", layernorm_lesson())
        write(args.out, "datasets_sklearn", datasets_sklearn())
        write(args.out, "lesson_seed0", lesson())
        write(args.out, "dropout_check", dropout_check())

if __name__ == "__main__":
    main()
