#include "optim.h"

#include <cmath>

#include "mathfn.h"

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
  for (size_t i = 0; i < n_; ++i) {
    float g = grads[i];
    if (decoupled) {
      if (spec_.weight_decay != 0) p[i] = p[i] * decay;
    } else if (spec_.weight_decay != 0) {
      g = g + wd * p[i];
    }
    m_[i] = m_[i] * b1f + g * one_minus_b1;
    v_[i] = v_[i] * b2f + one_minus_b2 * g * g;
    const float denom = std::sqrt(v_[i]) / bc2_sqrt + eps;
    p[i] = p[i] + neg_step_size * (m_[i] / denom);
  }
}

}  // namespace normlab
