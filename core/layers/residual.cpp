// Residual block: y = x + f(x), f a nested sequence that keeps the width. Pre-norm is
// residual[layernorm, linear, act, linear] (x + f(LN(x))), post-norm is residual[...] then layernorm
// (LN(x + f(x))). Its inner layers are named "<i>.<j>.weight", as an nn.Sequential subclass would be.
#include "sequential.h"

namespace normlab {
namespace {

class Residual final : public Layer {
 public:
  Residual(const LayerSpec& spec, int width) : Layer(width, width) { inner_.build(spec.layers, width); }
  LayerKind kind() const override { return LayerKind::Residual; }
  std::unique_ptr<Layer> clone() const override { return std::unique_ptr<Layer>(new Residual(*this)); }

  void declare(TensorTable& t, const std::string& prefix) override { inner_.declare(t, prefix); }
  void bind(TensorTable& t) override { inner_.bind(t); }
  void reset_parameters(TorchGenerator& gen) override { inner_.reset_parameters(gen); }
  void reserve(int rows) override {
    inner_.reserve(rows);
    const size_t n = static_cast<size_t>(rows) * out_;
    if (dinner_.size() < n) dinner_.resize(n);
  }

  Status forward(const float* x, float* y, int rows, const Context& ctx) override {
    Status s = inner_.forward(x, rows, ctx);
    if (!s.ok()) return s;
    const float* f = inner_.output();
    const size_t n = static_cast<size_t>(rows) * out_;
    for (size_t k = 0; k < n; ++k) y[k] = x[k] + f[k];
    return Status::Ok();
  }

  // dL/dx = dy (the skip path) + f'(x)ᵀ dy (the inner path).
  void backward(const float*, const float*, const float* dy, float* dx, int rows) override {
    inner_.backward(dy, dx ? dinner_.data() : nullptr, rows);
    if (!dx) return;
    const size_t n = static_cast<size_t>(rows) * out_;
    for (size_t k = 0; k < n; ++k) dx[k] = dy[k] + dinner_[k];
  }

  void infer(const float* x, float* y, int rows, InferMode mode) const override {
    const float* f = inner_.infer(x, rows, mode);
    const size_t n = static_cast<size_t>(rows) * out_;
    for (size_t k = 0; k < n; ++k) y[k] = x[k] + f[k];
  }

 private:
  Residual(const Residual& other) : Layer(other) { inner_.copy_from(other.inner_); }

  Sequential inner_;
  std::vector<float> dinner_;
};

}  // namespace

std::unique_ptr<Layer> make_residual(const LayerSpec& spec, int width) {
  return std::make_unique<Residual>(spec, width);
}

}  // namespace normlab
