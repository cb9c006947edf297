// normlab_trace: trains a lab natively from a JSON config and prints everything it computed. The node test
// (tests/node/determinism.test.mjs) runs the same config through the wasm module and requires every number
// to be bit-identical: 17 significant digits round-trip a double, 9 a float. It also prints every layer's
// output for the first training rows (Lab::layer_outputs), the lab's rows (train, then test) and their labels.
//   normlab_trace '{"data": {...}, "batch": 32, "seed": 7, "steps": 100, "init": "shared",
//                   "runs": [{"model": {...}, "optimizer": {...}}], "grid": [w, h, x0, x1, y0, y1]}'
// Optional: "sampler": "sorted" (Lab::set_sampler; the trace then also prints "orders", every row the steps took, and
// "train_mode", each run's Lab::train_mode_logits for the first training rows as batches of 16).
// Optional, for why normalization helps (tests/node/analysis.test.mjs): "scale": [{"before_step": 5, "run": 0,
// "layer": "3", "alpha": 2}] (Lab::scale_weights before that step, 0-based), and "smoothness": {"every": 4,
// "options": {...}}: after every 4th step, each running run's Lab::smoothness and Lab::weight_norms, printed as
// "analysis": [[step, run, lr, loss, grad_norm, eta…, losses…, grad_diffs…, loss_min, loss_max, grad_diff_max,
// beta_smoothness, norm, effective_lr, norm, …], …] (a non-finite number as null).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "lab.h"

using namespace normlab;
using json = nlohmann::json;

static int fail(const std::string& what) {
  std::fprintf(stderr, "normlab_trace: %s\n", what.c_str());
  return 1;
}

static void print_floats(const float* v, size_t n) {
  for (size_t k = 0; k < n; ++k) std::printf("%s%.9g", k ? "," : "", static_cast<double>(v[k]));
}

static std::string number(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.17g", v);
  return std::isfinite(v) ? s : "null";
}

// One row of "analysis": run `r`'s smoothness and weight norms after step `step`.
static Status analysis_row(Lab& lab, int step, int r, const SmoothnessOptions& options, std::string* out) {
  Smoothness m;
  std::vector<WeightNorm> norms;
  Status s = lab.smoothness(r, options, &m);
  if (!s.ok() || !(s = lab.weight_norms(r, &norms)).ok()) return s;
  std::vector<double> row{double(step), double(r), m.lr, m.loss, m.grad_norm};
  for (const auto* v : {&m.eta, &m.losses, &m.grad_diffs}) row.insert(row.end(), v->begin(), v->end());
  row.insert(row.end(), {m.loss_min, m.loss_max, m.grad_diff_max, m.beta_smoothness});
  for (const WeightNorm& w : norms) row.insert(row.end(), {w.norm, w.effective_lr});
  *out += out->empty() ? "[" : ",[";
  for (size_t k = 0; k < row.size(); ++k) *out += number(row[k]) + (k + 1 < row.size() ? "," : "");
  *out += "]";
  return Status::Ok();
}

int main(int argc, char** argv) {
  if (argc < 2) return fail("usage: normlab_trace '<config json>'");
  const json cfg = json::parse(argv[1], nullptr, false);
  if (cfg.is_discarded()) return fail("config: malformed JSON");
  Lab lab;
  DataSpec data;
  Status s = parse_data_spec(cfg["data"].dump(), &data);
  if (!s.ok() || !(s = lab.set_data(data)).ok() || !(s = lab.set_batch_size(cfg["batch"].get<int>())).ok())
    return fail(s.message());
  if (cfg.value("init", "shared") == "sequential") lab.set_init_mode(InitMode::Sequential);
  const bool sampled = cfg.contains("sampler");
  if (sampled && !(s = lab.set_sampler(cfg["sampler"].get<std::string>())).ok()) return fail(s.message());
  for (const auto& run : cfg["runs"]) {
    ModelSpec m;
    OptimizerSpec o;
    int idx;
    if (!(s = parse_model_spec(run["model"].dump(), &m)).ok() || !(s = parse_optimizer_spec(run["optimizer"].dump(), &o)).ok() ||
        !(s = lab.add_run(m, o, &idx)).ok())
      return fail(s.message());
  }
  if (!(s = lab.reset(cfg["seed"].get<uint32_t>())).ok()) return fail(s.message());
  const int steps = cfg["steps"].get<int>();
  const json scales = cfg.value("scale", json::array());
  const int every = cfg.contains("smoothness") ? cfg["smoothness"]["every"].get<int>() : 0;
  SmoothnessOptions options;
  if (every && !(s = parse_smoothness_options(cfg["smoothness"].value("options", json::object()).dump(), &options)).ok())
    return fail(s.message());
  std::string analysis, orders;
  std::printf("{\"losses\": [");
  for (int step = 0; step < steps; ++step) {
    for (const auto& sc : scales)
      if (sc["before_step"].get<int>() == step &&
          !(s = lab.scale_weights(sc["run"].get<int>(), sc["layer"].get<std::string>(), sc["alpha"].get<double>())).ok())
        return fail(s.message());
    lab.step(nullptr);
    for (int i : lab.last_batch()) orders += (orders.empty() ? "" : ",") + std::to_string(i);
    for (int r = 0; every && (step + 1) % every == 0 && r < lab.run_count(); ++r)
      if (!lab.run(r).stopped && !(s = analysis_row(lab, step, r, options, &analysis)).ok()) return fail(s.message());
    std::printf("%s[", step ? "," : "");
    for (int r = 0; r < lab.run_count(); ++r) std::printf("%s%.17g", r ? "," : "", lab.run(r).loss);
    std::printf("]");
  }
  std::printf("], \"params\": [");
  for (int r = 0; r < lab.run_count(); ++r) {
    std::printf("%s[", r ? "," : "");
    const auto& p = lab.run(r).model->tensors().params();
    print_floats(p.data(), p.size());
    std::printf("]");
  }
  std::printf("], \"grid\": [");
  const auto& g = cfg["grid"];
  const int w = g[0].get<int>(), h = g[1].get<int>();
  for (int r = 0; r < lab.run_count(); ++r) {
    std::vector<float> probs(static_cast<size_t>(w) * h * lab.run(r).model->classes());
    s = lab.grid(r, w, h, g[2].get<double>(), g[3].get<double>(), g[4].get<double>(), g[5].get<double>(), InferMode::Eval, probs.data());
    if (!s.ok()) return fail(s.message());
    std::printf("%s[", r ? "," : "");
    print_floats(probs.data(), probs.size());
    std::printf("]");
  }
  // Every layer's output and statistics (layer_outputs) for the first training rows, eval then train-batch
  // mode, flattened run by run: values, mean, var of each layer in order.
  std::printf("], \"layers\": [");
  const size_t values = static_cast<size_t>(std::min(lab.train().rows, 50)) * lab.train().features;
  for (int r = 0; r < lab.run_count(); ++r) {
    std::printf("%s[", r ? "," : "");
    bool first = true;
    for (InferMode mode : {InferMode::Eval, InferMode::TrainBatch}) {
      std::vector<LayerOutput> out;
      if (!(s = lab.layer_outputs(r, lab.train().x.data(), values, mode, &out)).ok()) return fail(s.message());
      for (const LayerOutput& l : out)
        for (const std::vector<float>* v : {&l.values, &l.stats.mean, &l.stats.var}) {
          if (v->empty()) continue;
          std::printf("%s", first ? "" : ",");
          print_floats(v->data(), v->size());
          first = false;
        }
    }
    std::printf("]");
  }
  // The data as the lab holds it: every row, train then test, and the labels.
  std::printf("], \"data\": [");
  print_floats(lab.train().x.data(), lab.train().x.size());
  std::printf("%s", lab.test().rows ? "," : "");
  print_floats(lab.test().x.data(), lab.test().x.size());
  std::printf("], \"labels\": [");
  for (int i = 0; i < lab.train().rows; ++i) std::printf("%s%d", i ? "," : "", lab.train().y[i]);
  for (int i = 0; i < lab.test().rows; ++i) std::printf(",%d", lab.test().y[i]);
  std::printf("]%s%s%s", every ? ", \"analysis\": [" : "", analysis.c_str(), every ? "]" : "");
  if (sampled) {
    std::printf(", \"orders\": [%s], \"train_mode\": [", orders.c_str());
    for (int r = 0; r < lab.run_count(); ++r) {
      std::vector<float> logits;
      if (!(s = lab.train_mode_logits(r, lab.train().x.data(), values, 16, &logits)).ok()) return fail(s.message());
      std::printf("%s[", r ? "," : "");
      print_floats(logits.data(), logits.size());
      std::printf("]");
    }
    std::printf("]");
  }
  std::printf("}\n");
  return 0;
}
