// Specs: the validated, typed form of the JSON the page, the URL state and the tests speak.
//   model:     {"input": 2, "layers": [{"type": "linear", "out": 64}, {"type": "batchnorm"}, ...]}
//              optional "init_scale": 1 (every linear layer's initial weights × this, 0.1 to 10)
//   optimizer: {"type": "adam", "lr": 0.01}
//   data:      {"type": "moons", "points": 2000, "noise": 0.2, "seed": 0, "test_fraction": 0.2,
//               "scale": 1, "shift": 0}
//              {"type": "points", "x": [x0, y0, x1, y1, …], "y": [0, 1, …], "seed": 0, …}: points of your own
// Unset model and optimizer fields take PyTorch's defaults; the data defaults are the lesson's (2000 points,
// noise 0.2). Every error names its field, e.g.
//   layers[2].groups: 64 features cannot be split into 5 groups
#pragma once
#include <string>
#include <vector>

#include "limits_table.h"
#include "util/status.h"

namespace normlab {

enum class LayerKind {
  Linear, BatchNorm, LayerNorm, RMSNorm, GroupNorm, Dropout,
  ReLU, Tanh, Sigmoid, GELU, LeakyReLU, Residual
};
const char* layer_kind_name(LayerKind kind);

struct LayerSpec {
  LayerKind kind = LayerKind::Linear;
  int out = 0;               // linear
  bool bias = true;          // linear
  double eps = 0;            // batchnorm 1e-5, layernorm 1e-5, rmsnorm 1e-6, groupnorm 1e-5
  double momentum = 0.1;     // batchnorm
  int groups = 0;            // groupnorm
  double p = 0.5;            // dropout
  double slope = 0.01;       // leaky_relu
  std::vector<LayerSpec> layers;  // residual: x + f(x), f = this sequence
};

struct ModelSpec {
  int input = 0;
  std::vector<LayerSpec> layers;
  // "init_scale": every linear layer's weight and bias (nested ones included) start at PyTorch's default
  // initialization times this factor, drawn first and scaled after (init_scale 1 is PyTorch's init, bit for bit).
  // Normalization layers keep γ = 1, β = 0: a badly scaled initialization is the linear layers'.
  double init_scale = 1;
  int classes = 0;  // the last linear layer's `out`
  long long activations = 0;  // per row: the output widths of every layer (what a training batch keeps)
};

enum class OptimizerKind { SGD, Adam, AdamW };

struct OptimizerSpec {
  OptimizerKind kind = OptimizerKind::Adam;
  double lr = 1e-3;
  double momentum = 0, dampening = 0;  // sgd
  bool nesterov = false;               // sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam, adamw
  double weight_decay = 0;             // adamw: 0.01
};

enum class DatasetKind { Moons, Circles, Spiral, Xor, Gauss, Points };
const char* dataset_kind_name(DatasetKind kind);

struct DataSpec {
  DatasetKind kind = DatasetKind::Moons;
  int points = 2000;
  double noise = 0.2;  // points: always 0 (the points are used exactly as given)
  uint32_t seed = 0;   // points: the order of the rows (and so the train/test split and the batches)
  double test_fraction = 0.0;
  double scale = 1.0, shift = 0.0;  // every input becomes x · scale + shift (e.g. ×5 + 20: far from zero)
  // points only: the rows themselves, in the order given (make_dataset shuffles them with `seed`)
  std::vector<double> x;  // (points × 2): x0, y0, x1, y1, …, each within ±kMaxCoordinate
  std::vector<int> y;     // (points): 0 or 1
};

Status parse_model_spec(const std::string& json, ModelSpec* out);
Status parse_optimizer_spec(const std::string& json, OptimizerSpec* out);
Status parse_data_spec(const std::string& json, DataSpec* out);
// Checks every value (ranges, widths, groups, nesting) and computes `classes`; parse_model_spec calls it, and
// so do Model::create and Lab::add_run for specs built in code. A LayerSpec built in code has eps = 0 and
// must set it (the parser sets each kind's default).
Status validate_model_spec(ModelSpec* spec);

std::string model_spec_to_json(const ModelSpec& spec);
std::string optimizer_spec_to_json(const OptimizerSpec& spec);
std::string data_spec_to_json(const DataSpec& spec);

}  // namespace normlab
