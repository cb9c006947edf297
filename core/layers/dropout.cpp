// Dropout: in training, each value is kept with probability 1 − p and scaled by 1/(1 − p) (inverted
// dropout), so eval mode is the identity. The mask comes from PyTorch's generator exactly as
// tensor.bernoulli_(1 − p) draws it, so a seeded run drops the same units as PyTorch.
#include "layer.h"

namespace normlab {
namespace {

class Dropout final : public Layer {
 public:
  Dropout(const LayerSpec& spec, int width) : Layer(width, width), p_(spec.p) {}
  LayerKind kind() const override { return LayerKind::Dropout; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Dropout>(*this); }
  void reserve(int rows) override {
    const size_t n = static_cast<size_t>(rows) * out_;
    if (mask_.size() < n) mask_.resize(n);
  }

  Status forward(const float* x, float* y, int rows, const Context& ctx) override {
    const size_t n = static_cast<size_t>(rows) * out_;
    active_ = ctx.training && ctx.dropout && p_ > 0;
    if (!active_) {
      for (size_t k = 0; k < n; ++k) y[k] = x[k];
      return Status::Ok();
    }
    if (ctx.reuse_masks) {  // the last training forward's masks, no draws
      if (rows != mask_rows_)
        return Status::Error("dropout: no masks for " + std::to_string(rows) + " rows (the last training batch had " +
                             std::to_string(mask_rows_) + ")");
    } else {
      // noise = bernoulli(1 − p) / (1 − p), computed in float as ATen's _dropout does; y = x · noise.
      const float scale = 1.0f / static_cast<float>(1.0 - p_);
      for (size_t k = 0; k < n; ++k) mask_[k] = ctx.rng->bernoulli(1.0 - p_) ? scale : 0.0f;
      mask_rows_ = rows;
    }
    for (size_t k = 0; k < n; ++k) y[k] = x[k] * mask_[k];
    return Status::Ok();
  }

  void infer(const float* x, float* y, int rows, InferMode) const override {
    const size_t n = static_cast<size_t>(rows) * out_;
    for (size_t k = 0; k < n; ++k) y[k] = x[k];
  }

  void backward(const float*, const float*, const float* dy, float* dx, int rows) override {
    if (!dx) return;
    const size_t n = static_cast<size_t>(rows) * out_;
    if (!active_) {
      for (size_t k = 0; k < n; ++k) dx[k] = dy[k];
      return;
    }
    for (size_t k = 0; k < n; ++k) dx[k] = dy[k] * mask_[k];
  }

 private:
  double p_;
  bool active_ = false;
  std::vector<float> mask_;  // (rows × width): 0 or 1/(1 − p)
  int mask_rows_ = 0;        // the rows of the last masks drawn
};

}  // namespace

std::unique_ptr<Layer> make_dropout(const LayerSpec& spec, int width) { return std::make_unique<Dropout>(spec, width); }

}  // namespace normlab
