"""Golden values for non-finite input (issue #12): what PyTorch computes when NaN or inf reaches a model.

Usage (Debian's python3 has torch 1.13):
  /usr/bin/python3 tests/golden/make_nan_golden.py [--out tests/golden/traces]
Writes tests/golden/traces/nan.json (deterministic), replayed by tests/node/hardening.test.mjs (forward) and
tests/native/hardening_test.cpp (argmax).

  forward   torch.manual_seed(0); nn.Sequential(...) in eval mode on rows with NaN and inf: relu(nan) is nan, so
            a NaN input gives NaN logits (never the last layer's bias); `set` overwrites buffers first (a
            BatchNorm running_var < 0 makes sqrt(var + eps) NaN)
  argmax    torch.argmax(logits, 1): NaN counts as the largest value, the first NaN wins
Non-finite floats are written as the strings "NaN", "Infinity", "-Infinity".
"""
import json, math, os
import torch, torch.nn as nn

from make_golden import out_arg

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traces", "nan.json")


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return float(torch.tensor(v, dtype=torch.float32))


def build(layers):
    mods = []
    width = 2
    for l in layers:
        if l["type"] == "linear":
            mods.append(nn.Linear(width, l["out"]))
            width = l["out"]
        elif l["type"] == "relu":
            mods.append(nn.ReLU())
        elif l["type"] == "batchnorm":
            mods.append(nn.BatchNorm1d(width))
    return nn.Sequential(*mods)


def forward_case(name, layers, rows, set_buffers=None):
    torch.manual_seed(0)
    model = build(layers)
    for key, value in (set_buffers or {}).items():
        model.state_dict()[key].fill_(value)
    model.eval()
    x = torch.tensor(rows, dtype=torch.float32)
    with torch.no_grad():
        y = model(x)
    return {"name": name, "model": {"input": 2, "layers": layers}, "seed": 0, "set": set_buffers or {},
            "x": [[num(v) for v in r] for r in rows], "logits": [[num(v) for v in r] for r in y.tolist()]}


def main():
    out = out_arg(__doc__, os.path.dirname(OUT))
    mlp = [{"type": "linear", "out": 4}, {"type": "relu"}, {"type": "linear", "out": 2}]
    bn = [{"type": "linear", "out": 4}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]
    nan, inf = float("nan"), float("inf")
    cases = {
        "forward": [
            forward_case("relu passes NaN on", mlp, [[nan, 1.0], [0.5, -0.5], [1.0, nan]]),
            forward_case("inf through relu", mlp, [[inf, 0.0], [-inf, 0.0]]),
            forward_case("eval batchnorm with running_var < 0", bn, [[0.5, -0.5], [1.0, 2.0]], {"1.running_var": -1.0}),
        ],
        "argmax": [],
    }
    for logits in ([[1.0, nan, 3.0], [nan, nan, 0.0], [2.0, 5.0, 1.0], [inf, nan, 0.0], [-inf, -inf, -inf]],):
        t = torch.tensor(logits, dtype=torch.float32)
        cases["argmax"].append({"logits": [[num(v) for v in r] for r in logits], "argmax": torch.argmax(t, 1).tolist()})
    with open(os.path.join(out, "nan.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
