"""Golden values for the normalization inspector (M.inspectNorm) and torch.randn emulation (M.randn).

Usage (Debian's python3 has torch 1.13):
  /usr/bin/python3 tests/golden/make_inspect_golden.py [--out tests/golden/traces]
Writes tests/golden/traces/inspect.json (deterministic: running it again gives the same bytes), replayed by
tests/node/inspect.test.mjs.

Each case is one normalization applied by the PyTorch module (train mode) to a small float32 tensor:
  batchnorm     nn.BatchNorm1d(C) on (N, C), nn.BatchNorm2d(C) on (N, C, H, W)
  layernorm     nn.LayerNorm(C) on (N, C), nn.LayerNorm([C, H, W]) on (N, C, H, W)
                (per-channel gamma/beta: weight/bias of shape (C, H, W) with gamma[c] over H, W)
  instancenorm  nn.InstanceNorm2d(C) (affine=False: only with default gamma/beta)
  groupnorm     nn.GroupNorm(G, C)
  rmsnorm       by hand (torch 1.13 has no nn.RMSNorm), in float32:
                y = x / sqrt(mean(x^2 over C[, H, W]) + eps) * gamma   (no beta)
Fields per case:
  name, norm, shape, groups, eps, gamma, beta (null: ones / zeros), x (flat, row-major float32)
  y          PyTorch's output (float32)
  xhat       the same module with weight 1, bias 0 (equal to y when gamma/beta are default)
  y64        y computed in float64 from the float32 x (the exact value normlab's double statistics aim at)
  mean, var  one per statistic (index order as groupOf: batchnorm c, layernorm/rmsnorm n, instancenorm
             n*C + c, groupnorm n*G + g), float64 from the float32 x; var biased; rmsnorm: mean 0,
             var = mean of squares
  row_mean_x, row_var_x, row_mean_y, row_var_y, row_var_y_biased
             per sample over its C*H*W values, torch float32 (x.reshape(N, -1).mean(1), .var(1) unbiased,
             .var(1, unbiased=False))
randn: [{seed, n, values}] = torch.manual_seed(seed); torch.randn(n).
Floats: float32 values are written in the shortest form that reads back to the same float32; float64
values (mean, var, y64) as Python's repr (exact).
"""
import os
import numpy as np
import torch, torch.nn as nn

from make_golden import out_arg, Raw, f32 as golden_f32, write  # the same JSON writer as the training traces

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traces", "inspect.json")


def f32(values):
    """make_golden's float32 writer, for tensors too."""
    return golden_f32(torch.as_tensor(values).detach().cpu().numpy())


def f64(values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    return Raw("[" + ",".join(repr(float(v)) for v in flat) + "]")


def rmsnorm(x, eps, gamma):
    dims = tuple(range(1, x.dim()))
    w = gamma.view(1, -1, *([1] * (x.dim() - 2)))
    return x / torch.sqrt((x * x).mean(dims, keepdim=True) + eps) * w


def module_for(norm, shape, groups, eps):
    N, C = shape[0], shape[1]
    four = len(shape) == 4
    if norm == "batchnorm":
        return (nn.BatchNorm2d if four else nn.BatchNorm1d)(C, eps=eps)
    if norm == "layernorm":
        return nn.LayerNorm(list(shape[1:]) if four else C, eps=eps)
    if norm == "instancenorm":
        return nn.InstanceNorm2d(C, eps=eps)
    if norm == "groupnorm":
        return nn.GroupNorm(groups, C, eps=eps)
    raise ValueError(norm)


def apply(norm, x, groups, eps, gamma, beta):
    """PyTorch's output in train mode, with per-channel gamma/beta (None: the module's defaults)."""
    shape = tuple(x.shape)
    C = shape[1]
    g = torch.ones(C) if gamma is None else torch.tensor(gamma, dtype=torch.float32)
    b = torch.zeros(C) if beta is None else torch.tensor(beta, dtype=torch.float32)
    if norm == "rmsnorm":
        return rmsnorm(x, eps, g).detach()
    m = module_for(norm, shape, groups, eps)
    m.train()
    with torch.no_grad():
        if norm == "layernorm":
            extra = shape[2:]
            m.weight.copy_(g.view(C, *([1] * len(extra))).expand(C, *extra))
            m.bias.copy_(b.view(C, *([1] * len(extra))).expand(C, *extra))
        elif norm == "instancenorm":
            assert gamma is None and beta is None, "InstanceNorm2d has no affine parameters by default"
        else:
            m.weight.copy_(g)
            m.bias.copy_(b)
        return m(x).detach()


def stats64(norm, x, groups, eps, gamma, beta):
    """Statistics (in groupOf order) and y, in float64 from the float32 x."""
    x = x.double()
    shape = tuple(x.shape)
    N, C = shape[0], shape[1]
    HW = int(np.prod(shape[2:])) if len(shape) == 4 else 1
    x3 = x.reshape(N, C, HW)
    if norm == "batchnorm":
        v = x3.permute(1, 0, 2).reshape(C, -1)
    elif norm in ("layernorm", "rmsnorm"):
        v = x3.reshape(N, -1)
    elif norm == "instancenorm":
        v = x3.reshape(N * C, HW)
    elif norm == "groupnorm":
        v = x3.reshape(N * groups, -1)
    if norm == "rmsnorm":
        mean = torch.zeros(v.shape[0], dtype=torch.float64)
        var = (v * v).mean(1)
    else:
        mean = v.mean(1)
        var = v.var(1, unbiased=False)
    g = torch.ones(C, dtype=torch.float64) if gamma is None else torch.tensor(gamma, dtype=torch.float32).double()
    b = torch.zeros(C, dtype=torch.float64) if beta is None or norm == "rmsnorm" else torch.tensor(beta, dtype=torch.float32).double()
    if norm == "batchnorm":
        mu, rs = mean.view(1, C, 1), (var + eps).rsqrt().view(1, C, 1)
    elif norm in ("layernorm", "rmsnorm"):
        mu, rs = mean.view(N, 1, 1), (var + eps).rsqrt().view(N, 1, 1)
    elif norm == "instancenorm":
        mu, rs = mean.view(N, C, 1), (var + eps).rsqrt().view(N, C, 1)
    else:
        per = C // groups
        mu = mean.view(N, groups, 1, 1).expand(N, groups, per, 1).reshape(N, C, 1)
        rs = (var + eps).rsqrt().view(N, groups, 1, 1).expand(N, groups, per, 1).reshape(N, C, 1)
    y = ((x3 - mu) * rs * g.view(1, C, 1) + b.view(1, C, 1)).reshape(shape)
    return mean, var, y


def case(name, norm, x, eps, groups=None, gamma=None, beta=None):
    x = x.detach().float().contiguous()
    shape = list(x.shape)
    N = shape[0]
    y = apply(norm, x, groups, eps, gamma, beta)
    xhat = apply(norm, x, groups, eps, None, None)
    mean, var, y64 = stats64(norm, x, groups, eps, gamma, beta)
    xr, yr = x.reshape(N, -1), y.reshape(N, -1)
    return {"name": name, "norm": norm, "shape": shape, "groups": groups, "eps": eps,
            "gamma": None if gamma is None else f32(gamma), "beta": None if beta is None else f32(beta),
            "x": f32(x), "y": f32(y), "xhat": f32(xhat), "y64": f64(y64),
            "mean": f64(mean), "var": f64(var),
            "row_mean_x": f32(xr.mean(1)), "row_var_x": f32(xr.var(1)),
            "row_mean_y": f32(yr.mean(1)), "row_var_y": f32(yr.var(1)),
            "row_var_y_biased": f32(yr.var(1, unbiased=False))}


def main():
    out = out_arg(__doc__, os.path.dirname(OUT))
    torch.set_num_threads(1)
    cases = []
    # (a) the lesson's tensor, under every norm that accepts (N, C).
    torch.manual_seed(0)
    lesson = torch.randn(4, 10) * 5 + 20
    cases.append(case("lesson batchnorm", "batchnorm", lesson, 1e-5))
    cases.append(case("lesson layernorm", "layernorm", lesson, 1e-5))
    cases.append(case("lesson groupnorm G=2", "groupnorm", lesson, 1e-5, groups=2))
    cases.append(case("lesson groupnorm G=5", "groupnorm", lesson, 1e-5, groups=5))
    cases.append(case("lesson rmsnorm", "rmsnorm", lesson, 1e-5))
    # (b) a (2, 4, 3, 3) tensor under every norm.
    torch.manual_seed(1)
    img = torch.randn(2, 4, 3, 3) * 2 + 1
    cases.append(case("4d batchnorm", "batchnorm", img, 1e-5))
    cases.append(case("4d layernorm", "layernorm", img, 1e-5))
    cases.append(case("4d instancenorm", "instancenorm", img, 1e-5))
    cases.append(case("4d groupnorm G=2", "groupnorm", img, 1e-5, groups=2))
    cases.append(case("4d rmsnorm", "rmsnorm", img, 1e-5))
    # (c) non-trivial per-channel gamma / beta.
    gamma, beta = [0.5, 2.0, -1.0, 1.5], [0.0, 1.0, -2.0, 0.25]
    cases.append(case("4d batchnorm affine", "batchnorm", img, 1e-5, gamma=gamma, beta=beta))
    cases.append(case("4d groupnorm G=2 affine", "groupnorm", img, 1e-5, groups=2, gamma=gamma, beta=beta))
    cases.append(case("4d layernorm affine", "layernorm", img, 1e-5, gamma=gamma, beta=beta))
    cases.append(case("4d rmsnorm affine", "rmsnorm", img, 1e-5, gamma=gamma))
    cases.append(case("lesson layernorm affine", "layernorm", lesson, 1e-5,
                      gamma=[0.1 * (k + 1) for k in range(10)], beta=[k - 5.0 for k in range(10)]))
    # (d) a nearly-constant row next to a spread-out one: eps decides how far the tiny differences blow up.
    k = torch.arange(8, dtype=torch.float64)
    flat = torch.stack([3.0 + 1e-4 * k, 3.0 + k]).float()
    cases.append(case("near-constant layernorm eps 1e-5", "layernorm", flat, 1e-5))
    cases.append(case("near-constant layernorm eps 1e-2", "layernorm", flat, 1e-2))

    randn = []
    for seed in (0, 1, 42, 12345):
        for n in (5, 15, 16, 40, 100):
            torch.manual_seed(seed)
            randn.append({"seed": seed, "n": n, "values": f32(torch.randn(n))})

    trace = {"format": "normlab-golden", "version": 1, "torch": torch.__version__, "kind": "inspect",
             "name": "inspect", "cases": cases, "randn": randn}
    write(out, "inspect", trace, {"name": 2, "seed": 2})


if __name__ == "__main__":
    main()
