// The normalization inspector: one normalization applied to a small tensor, with every intermediate a
// learner wants to see. Shapes are (N, C) or (N, C, H, W); the statistics follow PyTorch's modules:
//   batchnorm     BatchNorm1d / BatchNorm2d (training mode): one mean/var per channel c, over N (× H × W)
//   layernorm     LayerNorm(C) / LayerNorm([C, H, W]): one per sample n, over C (× H × W)
//   instancenorm  InstanceNorm2d: one per (n, c), over H × W
//   groupnorm     GroupNorm(G, C): one per (n, group), over C / G channels (× H × W)
//   rmsnorm       RMSNorm(C) / RMSNorm([C, H, W]): one root mean square per sample, no centering
// x̂ = (x − μ) / √(σ² + ε) with the biased σ² (ε inside the root, as PyTorch); y = γ x̂ + β with one γ, β per
// channel (for LayerNorm on 4-D input that is PyTorch's (C, H, W) weight with equal values over H, W).
// The statistics are computed in double and rounded once; the tensors are float, as in PyTorch.
#pragma once
#include <string>
#include <vector>

#include "util/status.h"

namespace normlab {

struct InspectInput {
  std::string norm;         // batchnorm, layernorm, instancenorm, groupnorm, rmsnorm
  std::vector<int> shape;   // {N, C} or {N, C, H, W}
  int groups = 1;           // groupnorm
  double eps = 1e-5;
  std::vector<float> x;     // row-major, shape's element count
  std::vector<float> gamma; // C values (empty: ones)
  std::vector<float> beta;  // C values (empty: zeros)
};

struct InspectResult {
  int stats = 0;                   // how many means/variances were computed
  std::vector<int> group_of;       // per element: the index of the statistic that normalized it
  std::vector<float> mean, var;    // per statistic; RMSNorm: mean 0, var = mean of squares
  std::vector<float> rstd;         // 1 / √(σ² + ε)      (PyTorch)
  std::vector<float> rstd_outside; // 1 / (σ + ε)        (the variant one passage of the lesson writes)
  std::vector<float> xhat, y;      // per element
  // Per sample n (over its C·H·W values), what the lesson prints: x.mean(1), x.var(1) (unbiased),
  // and the same for y; plus the biased variance of y, which is the one that is ≈ 1.
  std::vector<float> row_mean_x, row_var_x, row_mean_y, row_var_y, row_var_y_biased;
};

Status inspect_norm(const InspectInput& in, InspectResult* out);
// {"norm": "layernorm", "shape": [4, 10], "groups": 2, "eps": 1e-5, "x": [...], "gamma": [...], "beta": [...]}
// (groups, eps, gamma and beta optional), read by spec.cpp's parsers; ranges are inspect_norm's to check.
Status parse_inspect_input(const std::string& json, InspectInput* out);
Status inspect_norm(const std::string& json, InspectResult* out);  // parse_inspect_input, then inspect_norm
// torch.manual_seed(seed); torch.randn(n), for n in [1, kMaxInspectElements].
Status torch_randn(double seed, int n, std::vector<float>* out);

}  // namespace normlab
