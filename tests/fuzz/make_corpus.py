#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus (tests/fuzz/corpus/golden-*.json) from the golden traces.

Every spec the golden tests use becomes seeds for tests/fuzz/spec_fuzz.cpp: each model and optimizer spec
alone, each pair as a combined document {"model", "optimizer", "data", "batch_size"} (the model given the
lab's 2 inputs and 2 classes, so that it trains in a Lab), the lesson's two runs, and the inspector's golden
cases. Needs no torch: python3 tests/fuzz/make_corpus.py [--out DIR]. Other seeds in the folder (crash
regressions, hand-written ones) are kept.
"""
import argparse
import copy
import glob
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TRACES = os.path.join(HERE, "..", "golden", "traces")
DATASETS = ["moons", "circles", "spiral", "xor", "gauss"]


def write(out, name, obj):
    with open(os.path.join(out, "golden-" + name + ".json"), "w") as f:
        f.write(json.dumps(obj, separators=(", ", ": ")) + "\n")


def for_lab(model):
    """The same layers with 2 inputs and 2 classes (the lab's data), when the last layer is linear."""
    m = copy.deepcopy(model)
    m["input"] = 2
    if m["layers"] and m["layers"][-1].get("type") == "linear":
        m["layers"][-1]["out"] = 2
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for old in glob.glob(os.path.join(args.out, "golden-*.json")):
        os.remove(old)

    cases = sorted(glob.glob(os.path.join(TRACES, "case_*.json")))
    for i, path in enumerate(cases):
        t = json.load(open(path))
        name = os.path.splitext(os.path.basename(path))[0]
        write(args.out, name + "-model", t["model"])
        write(args.out, name + "-optimizer", t["optimizer"])
        data = {"type": DATASETS[i % len(DATASETS)], "points": 64 + 16 * i, "noise": 0.1 * (i % 4),
                "seed": t["train_seed"], "test_fraction": 0.25}
        write(args.out, name + "-lab", {"model": for_lab(t["model"]), "optimizer": t["optimizer"], "data": data,
                                        "batch_size": 8 + i})

    lesson = json.load(open(os.path.join(TRACES, "lesson_seed0.json")))
    moons = lesson["data"]["make_moons"]
    data = {"type": "moons", "points": moons["n_samples"], "noise": moons["noise"], "seed": moons["random_state"]}
    write(args.out, "lesson-data", data)
    for run in ("a", "b"):
        write(args.out, "lesson-" + run, {"model": lesson["model_" + run], "optimizer": lesson["optimizer"],
                                          "data": data, "batch_size": lesson["batch_size"], "seed": lesson["seed"],
                                          "init": "shared"})

    nan = json.load(open(os.path.join(TRACES, "nan.json")))
    for i, case in enumerate(nan["forward"]):
        write(args.out, "nan-%d-model" % i, case["model"])

    inspect = json.load(open(os.path.join(TRACES, "inspect.json")))
    for i, case in enumerate(inspect["cases"]):
        obj = {"norm": case["norm"], "shape": case["shape"], "eps": case["eps"],
               "x": [round(v, 4) for v in case["x"]]}
        for key in ("groups", "gamma", "beta"):
            if case.get(key) is not None:
                obj[key] = [round(v, 4) for v in case[key]] if isinstance(case[key], list) else case[key]
        write(args.out, "inspect-%02d" % i, obj)


if __name__ == "__main__":
    main()
