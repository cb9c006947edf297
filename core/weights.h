// Linear layers by name, and what the lessons on "why normalization helps" do to their weights: the whole
// initialization scaled (ModelSpec::init_scale), one layer's weights scaled by α (scale invariance), and each
// weight's norm with the effective learning rate it gives.
//
// A linear layer is named by its state_dict prefix: "3" is the top-level layer 3 ("3.weight", "3.bias"), "2.1"
// the layer 1 inside the residual block at 2 ("2.1.weight"). Top-level prefixes are the layer indices
// Lab::layer_outputs and Lab::batchnorm_trace use.
#pragma once
#include <string>
#include <vector>

#include "spec.h"
#include "util/tensors.h"

namespace normlab {

// Every layer of `layers` (residual blocks' inner layers too, after their block), in order, by prefix.
struct NamedLayer {
  std::string name;
  const LayerSpec* spec;
};
std::vector<NamedLayer> named_layers(const std::vector<LayerSpec>& layers);
// The prefixes of the linear layers only, in order: "0", "3", "2.1", …
std::vector<std::string> linear_layer_names(const std::vector<LayerSpec>& layers);

// weight ← α·weight and bias ← α·bias of linear layer `name` (which must exist), each value rounded to float as
// torch's `lin.weight.mul_(α)` rounds it (α as a float32).
void multiply_linear(TensorTable& table, const std::string& name, float alpha);
// The same for a name and an α that arrive from outside, checked first: α must be finite and non-zero as a
// float32, `name` a linear layer of `layers`, and no scaled value may overflow. On an error (it names "layer"
// or "alpha") nothing changes.
Status scale_linear(TensorTable& table, const std::vector<LayerSpec>& layers, const std::string& name, double alpha);

// One linear layer's weight: ‖W‖ (Frobenius, the weight only, summed in double) and lr/‖W‖².
struct WeightNorm {
  std::string name;  // the weight's state_dict name, "3.weight"
  double norm = 0;
  double effective_lr = 0;  // lr / norm² (+inf for a zero weight)
};
std::vector<WeightNorm> weight_norms(const TensorTable& table, const std::vector<LayerSpec>& layers, double lr);

}  // namespace normlab
