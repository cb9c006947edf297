// Loss-landscape smoothness along the gradient (Santurkar, Tsipras, Ilyas, Mądry 2018, "How Does Batch
// Normalization Help Optimization?", Fig. 4), measured on one batch B at the current parameters θ:
//
//   g   = ∇L_B(θ), over every parameter (linear weights and biases, normalization γ and β)
//   η_k = lr · (from + (to − from) · (k − 1) / (K − 1)),  k = 1 … K   (K = 1: η_1 = lr · from)
//   θ_k = θ − η_k g   (each value in float32: θ − fl(η_k · g))
//   L_k = L_B(θ_k),  g_k = ∇L_B(θ_k)
//
// and reports the band the loss spans along the gradient (lossMin, lossMax = min, max of L_k: the paper's
// "loss landscape"), how far the gradient moves (gradDiffMax = max ‖g − g_k‖: "gradient predictiveness", small
// is predictive) and the effective β-smoothness (max ‖g − g_k‖ / ‖η_k g‖). Defaults: K = 8, from 0.05, to 0.4,
// so η_k = 0.05·k·lr. lr is the run's learning rate: whatever the optimizer, the direction is the plain
// gradient (SGD's step), as in the paper; an Adam step is not lr·g, so for Adam runs the band measures the
// landscape, not the step Adam takes.
//
// Every L and ∇L is the training-mode loss of B (mean cross-entropy): BatchNorm normalizes with B's own
// statistics, and dropout applies the masks the model last trained B with. Nothing of the model changes (it
// runs on a copy: no running statistics, masks, caches, gradients or generator draws), so training after a
// measurement is bit-identical to training without one. Where the loss is not finite, neither are the results.
#pragma once
#include <string>
#include <vector>

#include "model.h"

namespace normlab {

struct SmoothnessOptions {
  int steps = 8;            // K, 1 to kMaxSmoothnessSteps
  double from = 0.05, to = 0.4;  // the step sizes as multiples of lr: 0 < from ≤ to
  double lr = 0;            // > 0: the step sizes' unit instead of the run's learning rate
};

struct Smoothness {
  double lr = 0;              // the unit of the step sizes
  double loss = 0;            // L_B(θ)
  double grad_norm = 0;       // ‖g‖
  std::vector<double> eta, losses, grad_diffs;  // η_k, L_k and ‖g − g_k‖, k = 1 … K
  double loss_min = 0, loss_max = 0, grad_diff_max = 0;
  double beta_smoothness = 0;  // max_k ‖g − g_k‖ / (η_k ‖g‖); NaN when g = 0 (no direction to move in)
};

// {"steps": 8, "from": 0.05, "to": 0.4, "lr": 0.1}, every field optional; errors name the field.
Status parse_smoothness_options(const std::string& json, SmoothnessOptions* out);
// The measurement on `rows` rows x (rows × input) with labels y, in training mode on a copy of `model`
// (Model::clone), whose dropout layers must have masks for `rows` rows. `lr` > 0 is the step sizes' unit
// (options.lr, when set, replaces it).
Status measure_smoothness(const Model& model, const float* x, const int* y, int rows, double lr,
                          const SmoothnessOptions& options, Smoothness* out);

}  // namespace normlab
