"""Golden traces for the weights' scale (issue #15), made with PyTorch:

  case_init_scale_<i>.json   `train` cases (make_golden.py's format, replayed with the random cases) whose model
                             has "init_scale": PyTorch's default init, then every nn.Linear's weight and bias
                             multiplied by it under torch.no_grad()
  scale_weights.json         a lab (torchlab.TorchLab) of two runs; after step `at`, one linear layer of each run
                             is scaled (lin.weight.mul_(a); lin.bias.mul_(a)), optimizer state untouched, and
                             training goes on: the losses of every step and the final states

Usage: /usr/bin/python3 tests/golden/make_scale_golden.py [--out tests/golden/traces]  (the same bytes every run)
"""
import random
import torch

from make_golden import MAX_CONDITIONING, N_ROWS, STEPS, f32, header, noisy_names, state_pairs, train_checked, write
from torchlab import TorchLab, build_model, golden_setup, scale_weights


def mlp(widths, norm=None, act="relu", dropout=0.0):
    layers = []
    for w in widths:
        layers.append({"type": "linear", "out": w})
        if norm:
            layers.append({"type": norm})
        layers.append({"type": act})
        if dropout:
            layers.append({"type": "dropout", "p": dropout})
    return layers

# (model, optimizer): a small init that starves a deep tanh net; a large one under BatchNorm with a residual
# block (nested linear layers are scaled too); a large one under LayerNorm with dropout, Adam.
INIT_SCALE_CASES = [
    ({"input": 3, "init_scale": 0.3, "layers": mlp([16, 16, 16], act="tanh") + [{"type": "linear", "out": 3}]},
     {"type": "sgd", "lr": 0.1}),
    ({"input": 2, "init_scale": 2.5, "layers": mlp([12], "batchnorm") + [
        {"type": "residual", "layers": [{"type": "linear", "out": 12}, {"type": "relu"}, {"type": "linear", "out": 12}]},
        {"type": "linear", "out": 2}]},
     {"type": "sgd", "lr": 0.01, "momentum": 0.9}),
    ({"input": 4, "init_scale": 6, "layers": mlp([16, 16], "layernorm", "gelu", 0.2) + [{"type": "linear", "out": 3}]},
     {"type": "adam", "lr": 0.001}),
]


def init_scale_case(i, spec, opt_spec):
    rng = random.Random(4150 + i)
    classes = spec["layers"][-1]["out"]
    gen = torch.Generator().manual_seed(rng.randrange(2**31))
    x = torch.randn(N_ROWS, spec["input"], generator=gen) * 2
    y = torch.randint(0, classes, (N_ROWS,), generator=gen)
    batches = [rng.sample(range(N_ROWS), 32) for _ in range(STEPS)]
    init_seed, train_seed = rng.randrange(2**31), rng.randrange(2**31)
    torch.manual_seed(init_seed)
    initial_model = build_model(spec)
    initial_state = {k: v.clone() for k, v in initial_model.state_dict().items()}
    model, losses, logits, cond = train_checked(spec, opt_spec, initial_state, train_seed, x, y, batches)
    assert max(cond.values()) < MAX_CONDITIONING, f"init-scale case {i} is ill-conditioned: {cond}"
    name = f"case_init_scale_{i}"
    return name, {**header("train", name), "model": spec, "optimizer": opt_spec, "init_seed": init_seed,
                  "train_seed": train_seed, "n": N_ROWS, "x": f32(x.numpy()), "y": y.tolist(), "batches": batches,
                  "initial_state": state_pairs(initial_model), "losses": f32(losses), "final_state": state_pairs(model),
                  "eval_logits": f32(logits.numpy()), "noisy": noisy_names(spec["layers"], opt_spec),
                  "conditioning": {k: round(v, 6) for k, v in cond.items()}, "redrawn": 0}


def lesson_mlp(norm):
    return {"input": 2, "layers": mlp([32, 32], norm) + [{"type": "linear", "out": 2}]}

SCALE_LAB = {"seed": 3, "data": {"type": "moons", "points": 512, "noise": 0.2, "seed": 0, "test_fraction": 0},
             "batch_size": 32, "steps": 14, "at": 6,
             "runs": [{"model": lesson_mlp("batchnorm"), "optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9}},
                      {"model": lesson_mlp(None), "optimizer": {"type": "adam", "lr": 0.01}}],
             # after step `at`: run 0's second linear layer (before its BatchNorm) × 5, run 1's second × 0.5
             "scale": [{"run": 0, "layer": "3", "alpha": 5.0}, {"run": 1, "layer": "2", "alpha": 0.5}]}


def scale_weights_trace():
    c = SCALE_LAB
    d = c["data"]
    lab = TorchLab([(r["model"], r["optimizer"]) for r in c["runs"]], c["seed"], d["points"], c["batch_size"],
                   d["noise"], d["seed"], d["test_fraction"])
    losses = []
    for step in range(c["steps"]):
        if step == c["at"]:
            for s in c["scale"]:
                scale_weights(lab.models[s["run"]], s["layer"], s["alpha"])
        losses.append(lab.step())
    noisy = [noisy_names(r["model"]["layers"], r["optimizer"]) for r in c["runs"]]
    assert not any(noisy), noisy  # SGD under BatchNorm, Adam without: every tensor is comparable
    return {**header("scale_weights", "scale_weights"), **c, "losses": [f32(l) for l in losses],
            "final_states": [state_pairs(m) for m in lab.models]}


def main():
    out = golden_setup(__doc__)
    for i, (spec, opt) in enumerate(INIT_SCALE_CASES):
        write(out, *init_scale_case(i, spec, opt))
    write(out, "scale_weights", scale_weights_trace())


if __name__ == "__main__":
    main()
