#include "loss.h"

#include <cmath>
#include <cstddef>

#include "util/mathfn.h"

namespace normlab {

double cross_entropy(const float* logits, const int* labels, int rows, int classes, float* dlogits, int* correct) {
  double total = 0;
  int hits = 0;
  for (int n = 0; n < rows; ++n) {
    const float* l = logits + static_cast<size_t>(n) * classes;
    int argmax = 0;  // torch.argmax: NaN counts as the largest, the first NaN wins
    for (int c = 1; c < classes && l[argmax] == l[argmax]; ++c)
      if (l[c] > l[argmax] || l[c] != l[c]) argmax = c;
    const double m = l[argmax];
    double sum = 0;
    for (int c = 0; c < classes; ++c) sum += det::exp(l[c] - m);
    const double lse = m + det::log(sum);  // log Σ e^l, shifted by the max so nothing overflows
    total += lse - l[labels[n]];
    hits += argmax == labels[n];
    if (dlogits) {
      // softmax = e^(l − m) / Σ e^(l − m); the exponentials are recomputed rather than stored (classes is
      // unbounded), each the same bits as in the sum above.
      // A gradient below 2^-100 is set to zero (README, "Numerics"). A near-certain prediction gives
      // p − [c = y] as small as e^-100 and below; its products with weights and activations in the backward
      // pass then land in the subnormal range (< 2^-126), where every operation costs ~100 times as much on
      // x86 (WebAssembly cannot flush them). A gradient this small moves no parameter of ordinary size: Adam's
      // m / (√v + eps) stays below 2^-73 (eps = 1e-8), SGD's lr·g is lost in rounding.
      float* d = dlogits + static_cast<size_t>(n) * classes;
      for (int c = 0; c < classes; ++c) {
        const double p = det::exp(l[c] - m) / sum;
        const double g = (p - (c == labels[n] ? 1.0 : 0.0)) / rows;
        d[c] = std::fabs(g) < kTinyLogitGrad ? 0.0f : static_cast<float>(g);
      }
    }
  }
  if (correct) *correct = hits;
  return total / rows;
}

void softmax_rows(float* logits, int rows, int classes) {
  for (int n = 0; n < rows; ++n) {
    float* l = logits + static_cast<size_t>(n) * classes;
    float m = l[0];
    for (int c = 1; c < classes; ++c) m = l[c] > m ? l[c] : m;
    if (classes == 2) {  // the common case: one exponential, p1 = 1 / (1 + e^(l0 − l1))
      const double p1 = 1.0 / (1.0 + det::exp(static_cast<double>(l[0]) - l[1]));
      l[0] = static_cast<float>(1.0 - p1);
      l[1] = static_cast<float>(p1);
      continue;
    }
    double sum = 0;
    for (int c = 0; c < classes; ++c) sum += det::exp(static_cast<double>(l[c]) - m);
    for (int c = 0; c < classes; ++c) l[c] = static_cast<float>(det::exp(static_cast<double>(l[c]) - m) / sum);
  }
}

}  // namespace normlab
