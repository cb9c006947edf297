// Optimizers exactly as torch.optim computes them, over a model's flat parameter block:
//   SGD:   g += wd·p; buf = g (first step) or momentum·buf + (1 − dampening)·g; g = g + momentum·buf
//          (nesterov) or buf; p −= lr·g
//   Adam:  g += wd·p (L2, coupled); m = β1 m + (1 − β1) g; v = β2 v + (1 − β2) g²;
//          p −= lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps)      (eps outside the root)
//   AdamW: p ·= 1 − lr·wd (decoupled), then Adam without the L2 term.
// Each float operation is written in the order PyTorch's kernels apply it. Moments, momentum buffers and
// updates below 2^-126 are flushed to zero where they arise (optim.cpp; README, "Numerics").
#pragma once
#include <cmath>
#include <vector>

#include "spec.h"

namespace normlab {

class Optimizer {
 public:
  Optimizer(const OptimizerSpec& spec, size_t n_params);
  void step(float* params, const float* grads);
  void reset();  // forgets the momentum / moment estimates and the step count
  size_t size() const { return n_; }
  long long steps() const { return t_; }
  const OptimizerSpec& spec() const { return spec_; }
  // The state PyTorch's optimizer keeps per parameter: Adam's exp_avg (SGD's momentum_buffer) and exp_avg_sq
  // (empty for SGD).
  const std::vector<float>& exp_avg() const { return m_; }
  const std::vector<float>& exp_avg_sq() const { return v_; }
  void set_lr(double lr) { spec_.lr = lr; }
  // The learning rate from now on (a schedule, a slider): a finite number > 0.
  Status set_learning_rate(double lr) {
    if (!(std::isfinite(lr) && lr > 0)) return Status::Error("lr", "must be a finite number > 0");
    spec_.lr = lr;
    return Status::Ok();
  }

 private:
  OptimizerSpec spec_;
  size_t n_;
  long long t_ = 0;
  std::vector<float> m_, v_;  // SGD: m_ is the momentum buffer. Adam: first and second moments.
};

}  // namespace normlab
