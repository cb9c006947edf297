"""A PyTorch twin of normlab's Lab (core/lab.h) for golden traces: make_moons data (the first rows train, as
Lab's split keeps them), runs built one per `torch.manual_seed(seed)` (init "shared"), one DataLoader (shuffled,
or with another batch composition: SAMPLERS, core/sampler.h), and on each batch every run stepping in turn,
dropout masks drawn from the global generator in that order.

What the engine adds for "why normalization helps" is here too, written the plain PyTorch way:
  build_model(spec)      make_golden.build, then every nn.Linear's weight and bias × spec["init_scale"]
  scale_weights(...)     with torch.no_grad(): lin.weight.mul_(a); lin.bias.mul_(a)  (optimizer state kept)
  smoothness(...)        the loss landscape along the gradient (core/landscape.h), on a deep copy
Dropout layers are RecordingDropout: the same draws as F.dropout, with the last mask kept so a measurement can
apply it again."""
import argparse, copy, math, os
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.data import RandomSampler, Sampler

from make_golden import build, make_optimizer


class RecordingDropout(nn.Module):
    """nn.Dropout as ATen's CPU _dropout computes it (noise = bernoulli_(1 - p) / (1 - p); x * noise), keeping
    the last noise; with `replay` set it applies that noise again instead of drawing."""
    def __init__(self, p):
        super().__init__()
        self.p, self.noise, self.replay = p, None, False

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if not self.replay:  # drawn as float32 whatever x is: a float64 twin gets the same masks
            noise = torch.empty_like(x, dtype=torch.float32).bernoulli_(1 - self.p)
            self.noise = noise.div_(1 - self.p)
        return x * self.noise.to(x.dtype)


def recording(module):
    """Replaces every nn.Dropout below `module` (residual blocks too) by a RecordingDropout."""
    for name, child in module.named_children():
        if isinstance(child, nn.Dropout):
            setattr(module, name, RecordingDropout(child.p))
        else:
            recording(child)
    return module


def check_recording_dropout():
    """RecordingDropout draws exactly what F.dropout draws."""
    torch.manual_seed(5); x = torch.randn(16, 24)
    torch.manual_seed(9); want = F.dropout(x, 0.3, training=True)
    torch.manual_seed(9); got = RecordingDropout(0.3)(x)
    assert torch.equal(want, got), "RecordingDropout differs from F.dropout"


def golden_setup(doc):
    """A golden script's start: --out (default tests/golden/traces) made, one thread (the same float sums every
    run), RecordingDropout checked. Returns the output directory."""
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "traces"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    check_recording_dropout()
    return out


def build_model(spec):
    """The engine's Model for `spec`: PyTorch's default init, then the linear layers scaled by init_scale."""
    model = recording(build(spec))
    scale = spec.get("init_scale", 1)
    if scale != 1:
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.Linear):
                    m.weight.mul_(scale)
                    m.bias.mul_(scale)
    return model


def module_at(model, name):
    """The module at state_dict prefix `name` ("3", "2.1")."""
    m = model
    for part in name.split("."):
        m = m[int(part)]
    return m


def scale_weights(model, name, alpha):
    lin = module_at(model, name)
    assert isinstance(lin, nn.Linear), name
    with torch.no_grad():
        lin.weight.mul_(alpha)
        lin.bias.mul_(alpha)


class SeededSampler(Sampler):
    """A sampler that starts every epoch as RandomSampler does: one int64 from the global generator seeds a
    generator of its own, and `order(g)` orders the rows with draws from that one only. `labels`: each row's class."""
    def __init__(self, labels):
        self.labels = [int(c) for c in labels]

    def __len__(self):
        return len(self.labels)

    def __iter__(self):  # a generator: nothing is drawn before the DataLoader has drawn its base seed
        seed = int(torch.empty((), dtype=torch.int64).random_().item())
        g = torch.Generator()
        g.manual_seed(seed)
        yield from self.order(g)


class BalancedSampler(SeededSampler):
    """Each class's rows reordered by randperm (class 0 first), then interleaved: the first row of every class,
    the second of every class, …: every batch holds the classes in equal shares (±1)."""
    def order(self, g):
        shuffled = []
        for c in sorted(set(self.labels)):
            rows = [i for i, y in enumerate(self.labels) if y == c]
            shuffled.append([rows[j] for j in torch.randperm(len(rows), generator=g).tolist()])
        out = []
        for k in range(max(len(rows) for rows in shuffled)):
            out += [rows[k] for rows in shuffled if k < len(rows)]
        return out


class SortedSampler(SeededSampler):
    """randperm, then stably sorted by class: each batch is one class but where the classes meet."""
    def order(self, g):
        return sorted(torch.randperm(len(self.labels), generator=g).tolist(), key=lambda i: self.labels[i])


def make_sampler(name, dataset, labels):
    """The engine's sampler `name` (core/sampler.h) for a DataLoader's sampler=."""
    if name == "shuffle":
        return RandomSampler(dataset)  # what DataLoader(shuffle=True) makes
    if name == "duplicates":
        return RandomSampler(dataset, replacement=True)
    return {"balanced": BalancedSampler, "sorted": SortedSampler}[name](labels)

SAMPLERS = ["shuffle", "balanced", "sorted", "duplicates"]


class TorchLab:
    """dtype float64: the same lab in double (same initial weights, batches and masks), for conditioning.
    sampler: the batch composition (SAMPLERS). After a step, `last` is the batch (x, y) and `last_rows` its rows."""
    def __init__(self, runs, seed, points, batch, noise=0.2, data_seed=0, test_fraction=0.0, dtype=torch.float32,
                 sampler="shuffle"):
        from sklearn.datasets import make_moons
        from torch.utils.data import DataLoader, TensorDataset
        X, y = make_moons(n_samples=points, noise=noise, random_state=data_seed)
        n_train = points - int(math.floor(points * test_fraction + 0.5))
        self.x = torch.tensor(X[:n_train], dtype=torch.float32).to(dtype)
        self.y = torch.tensor(y[:n_train], dtype=torch.long)
        self.models, self.optimizers = [], []
        for spec, opt in runs:
            torch.manual_seed(seed)
            model = build_model(spec).to(dtype)
            self.models.append(model)
            self.optimizers.append(make_optimizer(model.parameters(), opt))
        dataset = TensorDataset(self.x, self.y, torch.arange(n_train))  # the row indices ride along (no draws)
        self.loader = DataLoader(dataset, batch_size=batch, sampler=make_sampler(sampler, dataset, self.y))
        self.batches = self._batches()
        self.last, self.last_rows = None, None

    def _batches(self):
        while True:  # a new epoch enters the loader (its draws) when its first batch is asked for, as Lab does
            for bx, by, rows in self.loader:
                yield bx, by, rows

    def step(self):
        """One batch for every run; returns each run's loss (before its update)."""
        bx, by, self.last_rows = next(self.batches)
        self.last = bx, by
        losses = []
        for model, opt in zip(self.models, self.optimizers):
            model.train(); opt.zero_grad()
            loss = F.cross_entropy(model(bx), by)
            loss.backward(); opt.step()
            losses.append(loss.item())
        return losses


def _loss_and_grad(model, x, y):
    for p in model.parameters():
        p.grad = None
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return loss.item(), [p.grad.detach().clone() for p in model.parameters()]


def _norm(tensors):
    return math.sqrt(sum((t.double() ** 2).sum().item() for t in tensors))


def smoothness(model, x, y, lr, steps=8, frm=0.05, to=0.4):
    """core/landscape.h in PyTorch: on a deep copy in training mode, dropout replaying its last noise,
    g = ∇L(θ); for η_k = lr·(from + (to − from)·k/(K − 1)), θ_k = θ − η_k·g (in the model's dtype), L_k and
    g_k = ∇L(θ_k)."""
    m = copy.deepcopy(model)
    m.train()
    for d in m.modules():
        if isinstance(d, RecordingDropout):
            d.replay = True
    loss, g = _loss_and_grad(m, x, y)
    theta = [p.detach().clone() for p in m.parameters()]
    grad_norm = _norm(g)
    out = {"loss": loss, "grad_norm": grad_norm, "eta": [], "losses": [], "grad_diffs": []}
    for k in range(steps):
        eta = lr * (frm if steps == 1 else frm + (to - frm) * k / (steps - 1))
        with torch.no_grad():
            for p, t, gg in zip(m.parameters(), theta, g):
                p.copy_(t - eta * gg)
        loss_k, g_k = _loss_and_grad(m, x, y)
        out["eta"].append(eta); out["losses"].append(loss_k)
        out["grad_diffs"].append(_norm([a.double() - b.double() for a, b in zip(g, g_k)]))
    out["loss_min"], out["loss_max"] = min(out["losses"]), max(out["losses"])
    out["grad_diff_max"] = max(out["grad_diffs"])
    out["beta_smoothness"] = max(d / (e * grad_norm) for d, e in zip(out["grad_diffs"], out["eta"]))
    return out
