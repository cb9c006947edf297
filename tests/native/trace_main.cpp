// normlab_trace: trains a fixed lab natively and prints its trace as JSON. The node test runs the same lab
// through the wasm module and requires every printed number to be bit-identical (as hex floats).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lab.h"

using namespace normlab;

static void hex(const char* sep, double v) { std::printf("%s\"%a\"", sep, v); }

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 100;
  Lab lab;
  DataSpec data;
  parse_data_spec(R"({"type": "moons", "points": 300, "noise": 0.2, "seed": 3, "test_fraction": 0.2})", &data);
  if (!lab.set_data(data).ok() || !lab.set_batch_size(32).ok()) return 1;
  const char* models[] = {
      R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "gelu"}, {"type": "dropout", "p": 0.2}, {"type": "linear", "out": 2}]})",
      R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "layernorm"}, {"type": "tanh"}, {"type": "residual", "layers": [{"type": "rmsnorm"}, {"type": "linear", "out": 16}, {"type": "sigmoid"}]}, {"type": "groupnorm", "groups": 4}, {"type": "linear", "out": 2}]})",
  };
  const char* opts[] = {R"({"type": "adam", "lr": 0.01})", R"({"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true})"};
  for (int i = 0; i < 2; ++i) {
    ModelSpec m;
    OptimizerSpec o;
    int idx;
    if (!parse_model_spec(models[i], &m).ok() || !parse_optimizer_spec(opts[i], &o).ok() || !lab.add_run(m, o, &idx).ok()) return 1;
  }
  lab.reset(7);
  std::printf("{\"losses\": [");
  for (int s = 0; s < steps; ++s) {
    lab.step(nullptr);
    for (int r = 0; r < lab.run_count(); ++r) hex(s == 0 && r == 0 ? "" : ",", lab.run(r).loss);
  }
  std::printf("], \"params\": [");
  for (int r = 0; r < lab.run_count(); ++r) {
    const auto& p = lab.run(r).model->tensors().params();
    double sum = 0;
    for (size_t k = 0; k < p.size(); ++k) sum += p[k] * static_cast<double>(k % 7 + 1);
    hex(r == 0 ? "" : ",", sum);
  }
  std::printf("], \"grid\": [");
  std::vector<float> probs(50 * 40 * 2);
  for (int r = 0; r < lab.run_count(); ++r) {
    lab.grid(r, 50, 40, -2, 3, -1.5, 2, InferMode::Eval, probs.data());
    double sum = 0;
    for (size_t k = 0; k < probs.size(); ++k) sum += probs[k] * static_cast<double>(k % 5 + 1);
    hex(r == 0 ? "" : ",", sum);
  }
  std::printf("]}\n");
  return 0;
}
