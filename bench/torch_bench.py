"""PyTorch eager on normlab's benchmark workloads: python3 torch_bench.py <spec.json> -> one line of JSON.
The same MLPs, data, batch sizes and optimizer as bench/normlab_bench.mjs and bench/tfjs_bench.mjs; the loop
is the lesson's (zero_grad, forward, loss, backward, step, loss.item())."""
import json, statistics, sys, time
import torch, torch.nn as nn

def mlp(norm, width):
    def n():
        return [nn.BatchNorm1d(width)] if norm == "batchnorm" else [nn.LayerNorm(width)] if norm == "layernorm" else []
    return nn.Sequential(nn.Linear(2, width), *n(), nn.ReLU(), nn.Linear(width, width), *n(), nn.ReLU(), nn.Linear(width, 2))

def main():
    spec = json.load(open(sys.argv[1]))
    X = torch.tensor(spec["data"]["x"], dtype=torch.float32).reshape(-1, 2)
    Y = torch.tensor(spec["data"]["y"], dtype=torch.long)
    crit = nn.CrossEntropyLoss()
    results = []
    for w in spec["workloads"]:
        torch.manual_seed(0)
        model = mlp(w["norm"], w["width"])
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        gen = torch.Generator().manual_seed(0)
        total = spec["warmup"] + w["steps"]
        idx = [torch.randint(0, X.shape[0], (w["batch"],), generator=gen) for _ in range(total)]
        batches = [(X[i], Y[i]) for i in idx]  # batches built before timing, as in the other two

        def run(bs):
            for xb, yb in bs:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                loss.item()

        run(batches[: spec["warmup"]])
        timed = batches[spec["warmup"]:]
        samples = []
        for _ in range(spec["repeats"]):
            t0 = time.perf_counter()
            run(timed)
            samples.append((time.perf_counter() - t0) / len(timed) * 1e6)
        results.append({"name": w["name"], "us_per_step": statistics.median(samples), "samples": samples})
    g = spec["grid"]
    torch.manual_seed(0)
    model = mlp(g["norm"], g["width"]).eval()
    gx, gy = torch.meshgrid(torch.linspace(g["x0"], g["x1"], g["w"]), torch.linspace(g["y1"], g["y0"], g["h"]), indexing="xy")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)  # h·w points, row 0 at the top
    samples = []
    with torch.no_grad():
        torch.softmax(model(grid), 1)
        for _ in range(spec["repeats"]):
            t0 = time.perf_counter()
            torch.softmax(model(grid), 1)
            samples.append((time.perf_counter() - t0) * 1e3)
    results.append({"name": "grid", "ms": statistics.median(samples), "samples": samples})
    print(json.dumps({"impl": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(), "results": results}))

if __name__ == "__main__":
    main()
