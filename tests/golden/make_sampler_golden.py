"""Golden traces for batch composition (issue #15, core/sampler.h), made with PyTorch: one lab (torchlab.TorchLab)
per sampler — shuffle (DataLoader(shuffle=True)), balanced, sorted, duplicates (RandomSampler(replacement=True)) —
with a BatchNorm run that has dropout (its masks come from the global generator between the epochs' draws) and a
LayerNorm run, trained over two and a half epochs.

  samplers.json   `cases`, one per sampler: the lab's config, `orders` (the row order of every epoch the steps
                  entered, as the DataLoader served it), `losses` (every step, every run), `final_states`;
                  `sample_epochs`: `count` epochs' orders right after torch.manual_seed(`seed`) (what
                  lab.sampleEpochs(count, seed) returns); `train_mode`: at the final weights, the training rows in
                  the order of the first sampled epoch taken as batches of `batch` rows (the last one shorter),
                  each forward in training mode on its own (BatchNorm with that batch's statistics, running
                  statistics untouched, dropout off) — what lab.trainModeLogits(run, x, batch) returns; `eval_logits`:
                  model.eval() on the same rows. `conditioning`: how far the same lab in float64 (same weights,
                  batches and masks) lands, in units of the replay tolerance (losses 1e-4 relative, states and
                  logits 1e-4 + 1e-3 relative); the script refuses more than MAX_CONDITIONING.

Replayed by tests/native/sampler_golden_test.cpp and tests/node/samplers.test.mjs.

Usage: /usr/bin/python3 tests/golden/make_sampler_golden.py [--out tests/golden/traces]  (the same bytes every run)
"""
import copy
import torch
from torch.utils.data import DataLoader, TensorDataset

from make_golden import MAX_CONDITIONING, f32, header, noisy_names, state_pairs, write
from torchlab import SAMPLERS, RecordingDropout, TorchLab, golden_setup, make_sampler


def mlp(norm, act, dropout=0.0):
    layers = []
    for _ in range(2):
        layers += [{"type": "linear", "out": 16}, {"type": norm}, {"type": act}]
        if dropout:
            layers.append({"type": "dropout", "p": dropout})
    return {"input": 2, "layers": layers + [{"type": "linear", "out": 2}]}

CONFIG = {"seed": 4, "data": {"type": "moons", "points": 300, "noise": 0.2, "seed": 0, "test_fraction": 0.2},
          "batch_size": 32, "steps": 20,
          "runs": [{"model": mlp("batchnorm", "relu", 0.2), "optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9}},
                   {"model": mlp("layernorm", "tanh"), "optimizer": {"type": "adam", "lr": 0.01}}]}
SAMPLE = {"count": 3, "seed": 9}
TRAIN_MODE_BATCH = 32


def train_mode_logits(model, x, batch):
    """Each batch of `batch` rows in training mode on its own, on a copy (running statistics untouched), dropout off."""
    m = copy.deepcopy(model).train()
    for d in m.modules():
        if isinstance(d, RecordingDropout):
            d.eval()
    with torch.no_grad():
        return torch.cat([m(x[k:k + batch]) for k in range(0, len(x), batch)])


def run_lab(sampler, dtype):
    c, d = CONFIG, CONFIG["data"]
    lab = TorchLab([(r["model"], r["optimizer"]) for r in c["runs"]], c["seed"], d["points"], c["batch_size"],
                   d["noise"], d["seed"], d["test_fraction"], dtype, sampler)
    losses, rows = [], []
    for _ in range(c["steps"]):
        losses.append(lab.step())
        rows += lab.last_rows.tolist()
    n = len(lab.y)
    orders = [rows[k:k + n] for k in range(0, len(rows), n)]
    # sample_epochs: a fresh global generator, the same DataLoader entered `count` times
    dataset = TensorDataset(torch.arange(n))
    loader = DataLoader(dataset, batch_size=c["batch_size"], sampler=make_sampler(sampler, dataset, lab.y))
    torch.manual_seed(SAMPLE["seed"])
    sampled = [[i for (b,) in loader for i in b.tolist()] for _ in range(SAMPLE["count"])]
    x = lab.x[torch.tensor(sampled[0])]
    train_mode = [train_mode_logits(m, x, TRAIN_MODE_BATCH) for m in lab.models]
    with torch.no_grad():
        evals = [m.eval()(x) for m in lab.models]
    return lab, losses, orders, sampled, train_mode, evals


def conditioning(lab, losses, train_mode, lab64, losses64, train_mode64):
    """float32 against float64, in units of the replay tolerance (see the top of this file)."""
    loss = max(abs(a - b) / (1e-4 * abs(b)) for l, l64 in zip(losses, losses64) for a, b in zip(l, l64))
    state = logits = 0.0
    for r, (m, m64) in enumerate(zip(lab.models, lab64.models)):
        noisy = set(noisy_names(CONFIG["runs"][r]["model"]["layers"], CONFIG["runs"][r]["optimizer"]))
        assert not noisy, noisy  # SGD under BatchNorm, no BatchNorm under Adam: every tensor is comparable
        s64 = m64.state_dict()
        for k, v in m.state_dict().items():
            if not k.endswith("num_batches_tracked"):
                state = max(state, ((v.double() - s64[k]).abs() / (1e-4 + 1e-3 * s64[k].abs())).max().item())
    for t, t64 in zip(train_mode, train_mode64):
        logits = max(logits, ((t.double() - t64).abs() / (1e-4 + 1e-3 * t64.abs())).max().item())
    return {"loss": loss, "state": state, "train_mode": logits}


def case(sampler):
    lab, losses, orders, sampled, train_mode, evals = run_lab(sampler, torch.float32)
    lab64, losses64, orders64, _, train_mode64, _ = run_lab(sampler, torch.float64)
    assert orders == orders64
    cond = conditioning(lab, losses, train_mode, lab64, losses64, train_mode64)
    assert max(cond.values()) < MAX_CONDITIONING, f"{sampler}: float32 rounding decides this lab: {cond}"
    return {"sampler": sampler, **CONFIG, "orders": orders, "losses": [f32(l) for l in losses],
            "final_states": [state_pairs(m) for m in lab.models],
            "sample_epochs": {**SAMPLE, "orders": sampled},
            "train_mode": {"batch": TRAIN_MODE_BATCH, "logits": [f32(t.numpy()) for t in train_mode],
                           "eval_logits": [f32(e.numpy()) for e in evals]},
            "conditioning": {k: round(v, 6) for k, v in cond.items()}}


def main():
    out = golden_setup(__doc__)
    write(out, "samplers", {**header("samplers", "samplers"), "cases": [case(s) for s in SAMPLERS]},
          breaks={"sampler": 2})


if __name__ == "__main__":
    main()
