// The mean and Σ(x − mean)² of each statistic, summed in double in one fixed order: how BatchNorm computes
// its batch statistics (ATen's CPU kernel accumulates in double: acc_type<float> is double) and how the
// inspector computes every normalization's. Two passes, the mean first and then the squared deviations from
// it (never E[x²] − E[x]², which cancels).
//
// x is (outer × stats × len): statistic s owns the runs x[o][s][0 .. len) for every o. Each statistic's
// values are summed in increasing index order, so the result does not depend on how loops are vectorized:
// the same bits natively and in WebAssembly.
//   BatchNorm1d on (rows × C):              outer = rows, stats = C, len = 1
//   BatchNorm2d on (N, C, H·W):             outer = N,    stats = C, len = H·W
//   one statistic per row, group, instance: outer = 1,    stats = the number of runs, len = a run's length
// A statistic has count = outer·len values: σ² = sq_dev / count (biased, what normalizes), and
// sq_dev / (count − 1) (unbiased, what BatchNorm's running_var tracks). center = false keeps mean at 0, so
// sq_dev is Σx² (RMSNorm's mean of squares).
#pragma once
#include <cstddef>

namespace normlab {

// mean (stats), sq_dev (stats): outputs.
inline void sum_moments(const float* x, int outer, int stats, int len, bool center, double* mean,
                        double* sq_dev) {
  for (int s = 0; s < stats; ++s) mean[s] = 0, sq_dev[s] = 0;
  if (center) {
    for (int o = 0; o < outer; ++o)
      for (int s = 0; s < stats; ++s) {
        const float* run = x + (static_cast<size_t>(o) * stats + s) * len;
        for (int k = 0; k < len; ++k) mean[s] += run[k];
      }
    const size_t count = static_cast<size_t>(outer) * len;
    for (int s = 0; s < stats; ++s) mean[s] /= count;
  }
  for (int o = 0; o < outer; ++o)
    for (int s = 0; s < stats; ++s) {
      const float* run = x + (static_cast<size_t>(o) * stats + s) * len;
      for (int k = 0; k < len; ++k) {
        const double d = run[k] - mean[s];
        sq_dev[s] += d * d;
      }
    }
}

}  // namespace normlab
