#include "optim.h"

#include <cmath>
#include <cstring>

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

// Software flush-to-zero (README, "Numerics"). A parameter whose gradient is exactly zero (a dead ReLU unit)
// keeps a moment that decays by β each step into the subnormal range, where rounding makes it stick for good
// (0.9 · 3·2^-149 rounds back to 3·2^-149): every later step then pays the subnormal penalty of x86 (~100 ns
// an operation here; WebAssembly cannot turn it off, and the native build does not, to stay bit-identical).
// So the state is flushed where it arises: a moment or momentum buffer below 2^-126 becomes zero, and so does
// an update below 2^-126 (it could only change a parameter smaller than 2^-102). v, and the (1 − β2)·g² it
// adds, are flushed only when eps makes such a v invisible in the denominator (√v/√(1 − β2^t) far below half
// an ulp of eps), which holds for any eps above ~2^-37/√(1 − β2) (default 1e-8: yes); with eps ≈ 0 a flushed
// v could turn 0/v into 0/0, so it is left alone.
namespace {
constexpr float kTiny = 0x1p-126f;  // the smallest normal float
}

void Optimizer::step(float* p, const float* grads) {
  ++t_;
  const float wd = static_cast<float>(spec_.weight_decay);
  if (spec_.kind == OptimizerKind::SGD) {
    const float momentum = static_cast<float>(spec_.momentum);
    const float one_minus_damp = static_cast<float>(1.0 - spec_.dampening);
    const float neg_lr = static_cast<float>(-spec_.lr);
    const float g_tiny = static_cast<float>(kTiny / spec_.lr);  // lr·g below 2^-126: no update
    for (size_t i = 0; i < n_; ++i) {
      float g = grads[i];
      if (spec_.weight_decay != 0) g = g + wd * p[i];
      if (spec_.momentum != 0) {
        m_[i] = flush(t_ == 1 ? g : m_[i] * momentum + one_minus_damp * g, kTiny);  // the first step clones g
        g = spec_.nesterov ? g + momentum * m_[i] : m_[i];
      }
      p[i] = p[i] + neg_lr * flush(g, g_tiny);
    }
    return;
  }
  const double b1 = spec_.beta1, b2 = spec_.beta2;
  const double bias_correction1 = 1.0 - det::pow_int(b1, t_);
  const double bias_correction2 = 1.0 - det::pow_int(b2, t_);
  const double step_size = spec_.lr / bias_correction1;
  const bool decoupled = spec_.kind == OptimizerKind::AdamW;
  const bool l2 = !decoupled && spec_.weight_decay != 0;     // Adam: L2 on the gradient
  const bool decay = decoupled && spec_.weight_decay != 0;   // AdamW: decay the weights, not the gradient
  const bool flush_v = static_cast<float>(spec_.eps) * 0x1p-26 > 0x1p-63 / std::sqrt(1.0 - b2);
  const f32x4 b1v = splat4(static_cast<float>(b1)), b2v = splat4(static_cast<float>(b2));
  const f32x4 one_minus_b1 = splat4(static_cast<float>(1.0 - b1)), one_minus_b2 = splat4(static_cast<float>(1.0 - b2));
  const f32x4 bc2 = splat4(static_cast<float>(std::sqrt(bias_correction2))), eps = splat4(static_cast<float>(spec_.eps));
  const f32x4 neg_step = splat4(static_cast<float>(-step_size));
  const f32x4 wdv = splat4(wd), decay_factor = splat4(static_cast<float>(1.0 - spec_.lr * spec_.weight_decay));
  const f32x4 m_tiny = splat4(kTiny), v_tiny = splat4(flush_v ? kTiny : 0.0f);
  const f32x4 g_tiny = splat4(flush_v ? static_cast<float>(std::sqrt(kTiny / (1.0 - b2))) : 0.0f);  // (1 − β2)·g² < 2^-126
  const f32x4 q_tiny = splat4(static_cast<float>(kTiny / step_size));                                // step·q < 2^-126
  // Four parameters at a time, each in PyTorch's order:
  //   g += wd·p (Adam) or p ·= 1 − lr·wd (AdamW); m = β1 m + (1 − β1) g; v = β2 v + (1 − β2) g g;
  //   p += −lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps)
  auto update = [&](float* pp, const float* gp, float* mp, float* vp) {
    f32x4 pv = load4(pp), g = load4(gp);
    if (l2) g = g + wdv * pv;
    if (decay) pv = pv * decay_factor;
    const f32x4 m = flush4(load4(mp) * b1v + g * one_minus_b1, m_tiny);
    const f32x4 gv = flush4(g, g_tiny);
    const f32x4 v = flush4(load4(vp) * b2v + one_minus_b2 * gv * gv, v_tiny);
    const f32x4 denom = sqrt4(v) / bc2 + eps;
    store4(pp, pv + neg_step * flush4(m / denom, q_tiny));
    store4(mp, m);
    store4(vp, v);
  };
  float* m = m_.data();
  float* v = v_.data();
  size_t i = 0;
  for (; i + 4 <= n_; i += 4) update(p + i, grads + i, m + i, v + i);
  if (i < n_) {  // the last 1–3 parameters, in zero-padded lanes
    float tp[4] = {}, tg[4] = {}, tm[4] = {}, tv[4] = {};
    const size_t k = n_ - i;
    std::memcpy(tp, p + i, k * sizeof(float)), std::memcpy(tg, grads + i, k * sizeof(float));
    std::memcpy(tm, m + i, k * sizeof(float)), std::memcpy(tv, v + i, k * sizeof(float));
    update(tp, tg, tm, tv);
    std::memcpy(p + i, tp, k * sizeof(float)), std::memcpy(m + i, tm, k * sizeof(float)), std::memcpy(v + i, tv, k * sizeof(float));
  }
}

}  // namespace normlab
