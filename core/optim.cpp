#include "optim.h"

#include <cmath>

#include "util/mathfn.h"
#include "util/simd.h"

namespace normlab {

Optimizer::Optimizer(const OptimizerSpec& spec, size_t n_params) : spec_(spec), n_(n_params) {
  m_.assign(n_, 0.0f);
  if (spec_.kind != OptimizerKind::SGD) v_.assign(n_, 0.0f);
}

void Optimizer::reset() {
  t_ = 0;
  for (auto& v : m_) v = 0;
  for (auto& v : v_) v = 0;
}

void Optimizer::step(float* p, const float* grads) {
  ++t_;
  const float wd = static_cast<float>(spec_.weight_decay);
  if (spec_.kind == OptimizerKind::SGD) {
    const float momentum = static_cast<float>(spec_.momentum);
    const float one_minus_damp = static_cast<float>(1.0 - spec_.dampening);
    const float neg_lr = static_cast<float>(-spec_.lr);
    for (size_t i = 0; i < n_; ++i) {
      float g = grads[i];
      if (spec_.weight_decay != 0) g = g + wd * p[i];
      if (spec_.momentum != 0) {
        m_[i] = t_ == 1 ? g : m_[i] * momentum + one_minus_damp * g;  // the first step clones g
        g = spec_.nesterov ? g + momentum * m_[i] : m_[i];
      }
      p[i] = p[i] + neg_lr * g;
    }
    return;
  }
  const double b1 = spec_.beta1, b2 = spec_.beta2;
  const float b1f = static_cast<float>(b1), b2f = static_cast<float>(b2);
  const float one_minus_b1 = static_cast<float>(1.0 - b1), one_minus_b2 = static_cast<float>(1.0 - b2);
  const double bias_correction1 = 1.0 - det::pow_int(b1, t_);
  const double bias_correction2 = 1.0 - det::pow_int(b2, t_);
  const float neg_step_size = static_cast<float>(-(spec_.lr / bias_correction1));
  const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  const float eps = static_cast<float>(spec_.eps);
  const bool decoupled = spec_.kind == OptimizerKind::AdamW;
  const float decay = static_cast<float>(1.0 - spec_.lr * spec_.weight_decay);
  float* m = m_.data();
  float* v = v_.data();
  if (spec_.weight_decay != 0) {
    if (decoupled) {
      for (size_t i = 0; i < n_; ++i) p[i] = p[i] * decay;  // AdamW: decay the weights, not the gradient
    } else {
      for (size_t i = 0; i < n_; ++i) {  // Adam: L2 on the gradient
        const float g = grads[i] + wd * p[i];
        m[i] = m[i] * b1f + g * one_minus_b1;
        v[i] = v[i] * b2f + one_minus_b2 * g * g;
      }
    }
  }
  if (decoupled || spec_.weight_decay == 0) {
    for (size_t i = 0; i < n_; ++i) {
      const float g = grads[i];
      m[i] = m[i] * b1f + g * one_minus_b1;
      v[i] = v[i] * b2f + one_minus_b2 * g * g;
    }
  }
  // p += −lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps), four parameters at a time.
  size_t i = 0;
  const f32x4 bc2v = splat4(bc2_sqrt), epsv = splat4(eps), stepv = splat4(neg_step_size);
  for (; i + 4 <= n_; i += 4) {
    const f32x4 denom = sqrt4(load4(v + i)) / bc2v + epsv;
    store4(p + i, load4(p + i) + stepv * (load4(m + i) / denom));
  }
  for (; i < n_; ++i) {
    const float denom = std::sqrt(v[i]) / bc2_sqrt + eps;
    p[i] = p[i] + neg_step_size * (m[i] / denom);
  }
}

}  // namespace normlab
