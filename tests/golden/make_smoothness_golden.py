"""Golden values of lab.smoothness (core/landscape.h), made with PyTorch: the loss landscape along the gradient
(Santurkar et al. 2018, Fig. 4) for the lesson's MLP without normalization, with BatchNorm, and with BatchNorm
and dropout, trained side by side (torchlab.TorchLab: make_moons, one seed, plain SGD) and measured after
several steps on the batch each run last trained on.

  smoothness.json   the lab's config, every step's losses, and every run's
                    measurement (checkpoints, one after each step in measure_after): loss, grad_norm, eta, losses, grad_diffs, loss_min, loss_max, grad_diff_max,
                    beta_smoothness; `tolerance` per quantity (relative, see TOLERANCE); `conditioning`: the
                    largest relative difference between this float32 lab and the same lab in float64 (same
                    initial weights, batches and dropout masks), per quantity

The replay (tests/node/smoothness.test.mjs, tests/native/analysis_golden_test.cpp) trains the engine's lab along
and compares every quantity within its TOLERANCE; the script refuses a case whose float32 rounding alone
moves a quantity by more than MAX_CONDITIONING of it, so that the tolerance can tell a correct float32 engine
from a wrong one.

Usage: /usr/bin/python3 tests/golden/make_smoothness_golden.py [--out tests/golden/traces]  (same bytes every run)
"""
import torch

from make_golden import f32, header, write
from torchlab import TorchLab, golden_setup, smoothness

# The replay's tolerances, relative. Losses and the gradient's norm: 1e-4, as for every golden loss. A difference
# of gradients g − g_k keeps both gradients' float32 rounding (~1e-7·‖g‖) as an absolute error, which at the
# smallest step is ~1e-5 of the difference (measured: `conditioning`): those quantities get 1e-3, still far below
# what any mistake gives (a wrong step size, BatchNorm's running statistics instead of the batch's, other dropout
# masks: 1e-2 to 1).
TOLERANCE = {"loss": 1e-4, "grad_norm": 1e-4, "losses": 1e-4, "loss_min": 1e-4, "loss_max": 1e-4,
             "grad_diffs": 1e-3, "grad_diff_max": 1e-3, "beta_smoothness": 1e-3}
MAX_CONDITIONING = 0.05  # float32 vs float64 may differ by at most 5 % of the tolerance


def lesson_mlp(norm, dropout=0.0):
    layers = []
    for _ in range(2):
        layers.append({"type": "linear", "out": 64})
        if norm:
            layers.append({"type": norm})
        layers.append({"type": "relu"})
        if dropout:
            layers.append({"type": "dropout", "p": dropout})
    return {"input": 2, "layers": layers + [{"type": "linear", "out": 2}]}

SGD = {"type": "sgd", "lr": 0.1}
CONFIG = {"seed": 0, "data": {"type": "moons", "points": 512, "noise": 0.2, "seed": 0, "test_fraction": 0},
          "batch_size": 64, "steps": 12, "measure_after": [1, 5, 12], "options": {"steps": 8, "from": 0.05, "to": 0.4},
          "runs": [{"name": "no norm", "model": lesson_mlp(None), "optimizer": SGD},
                   {"name": "batchnorm", "model": lesson_mlp("batchnorm"), "optimizer": SGD},
                   {"name": "batchnorm + dropout", "model": lesson_mlp("batchnorm", 0.2), "optimizer": SGD}]}


def run_lab(dtype):
    c, d = CONFIG, CONFIG["data"]
    lab = TorchLab([(r["model"], r["optimizer"]) for r in c["runs"]], c["seed"], d["points"], c["batch_size"],
                   d["noise"], d["seed"], d["test_fraction"], dtype)
    o = c["options"]
    losses, checkpoints = [], []
    for step in range(1, c["steps"] + 1):
        losses.append(lab.step())
        if step in c["measure_after"]:
            bx, by = lab.last
            checkpoints.append({"step": step, "runs": [
                smoothness(m, bx, by, r["optimizer"]["lr"], o["steps"], o["from"], o["to"])
                for m, r in zip(lab.models, c["runs"])]})
    return losses, checkpoints


def relative(a, b):
    a, b = (a if isinstance(a, list) else [a]), (b if isinstance(b, list) else [b])
    return max(abs(x - y) / abs(y) for x, y in zip(a, b))


def main():
    out = golden_setup(__doc__)
    losses, checkpoints = run_lab(torch.float32)
    _, checkpoints64 = run_lab(torch.float64)
    conditioning = {q: max(relative(r[q], r64[q]) for c, c64 in zip(checkpoints, checkpoints64)
                           for r, r64 in zip(c["runs"], c64["runs"])) for q in TOLERANCE}
    for q, v in conditioning.items():
        assert v < MAX_CONDITIONING * TOLERANCE[q], f"float32 rounding moves {q} by {v:.2e}: {conditioning}"
    trace = {**header("smoothness", "smoothness"), **CONFIG, "tolerance": TOLERANCE,
             "conditioning": {q: float(f"{v:.3g}") for q, v in conditioning.items()},
             "losses": [f32(l) for l in losses], "checkpoints": checkpoints}
    write(out, "smoothness", trace, breaks={"step": 2})


if __name__ == "__main__":
    main()
