// Linear: y = x W^T + b, W of shape (out, in) as nn.Linear stores it.
#include <cmath>
#include <cstring>

#include "layer.h"

namespace normlab {
namespace {

class Linear final : public Layer {
 public:
  Linear(const LayerSpec& spec, int in) : Layer(in, spec.out), has_bias_(spec.bias) {}
  LayerKind kind() const override { return LayerKind::Linear; }

  void declare(TensorTable& t, const std::string& prefix) override {
    weight_id_ = t.add(prefix + "weight", TensorRole::Parameter, {out_, in_});
    if (has_bias_) bias_id_ = t.add(prefix + "bias", TensorRole::Parameter, {out_});
  }
  void bind(TensorTable& t) override {
    weight_ = t.value(weight_id_);
    dweight_ = t.grad(weight_id_);
    if (has_bias_) bias_ = t.value(bias_id_), dbias_ = t.grad(bias_id_);
  }

  // nn.Linear.reset_parameters: kaiming_uniform_(W, a=sqrt(5)) is U(-b, b) with
  // b = sqrt(3) * gain / sqrt(fan_in), gain = sqrt(2 / (1 + a^2)), i.e. b ~ 1/sqrt(in); the bias is
  // U(-1/sqrt(in), 1/sqrt(in)). Bounds are computed in double as Python does, drawn in order.
  void reset_parameters(TorchGenerator& gen) override {
    const double a = std::sqrt(5.0);
    const double gain = std::sqrt(2.0 / (1.0 + a * a));
    const double bound = std::sqrt(3.0) * (gain / std::sqrt(static_cast<double>(in_)));
    const float wb = static_cast<float>(bound);
    for (int i = 0; i < out_ * in_; ++i) weight_[i] = gen.uniform_float(-wb, wb);
    if (has_bias_) {
      const float bb = static_cast<float>(1.0 / std::sqrt(static_cast<double>(in_)));
      for (int o = 0; o < out_; ++o) bias_[o] = gen.uniform_float(-bb, bb);
    }
  }

  Status forward(const float* x, float* y, int rows, const Context&) override {
    infer(x, y, rows, InferMode::Eval);
    return Status::Ok();
  }

  void infer(const float* x, float* y, int rows, InferMode) const override {
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * in_;
      float* yr = y + static_cast<size_t>(n) * out_;
      for (int o = 0; o < out_; ++o) {
        const float* w = weight_ + static_cast<size_t>(o) * in_;
        float sum = 0.0f;
        for (int i = 0; i < in_; ++i) sum += xr[i] * w[i];
        yr[o] = has_bias_ ? sum + bias_[o] : sum;
      }
    }
  }

  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    // dW[o, i] += sum_n dy[n, o] x[n, i];  db[o] += sum_n dy[n, o]
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * in_;
      const float* dyr = dy + static_cast<size_t>(n) * out_;
      for (int o = 0; o < out_; ++o) {
        const float g = dyr[o];
        float* dw = dweight_ + static_cast<size_t>(o) * in_;
        for (int i = 0; i < in_; ++i) dw[i] += g * xr[i];
        if (has_bias_) dbias_[o] += g;
      }
    }
    if (!dx) return;
    // dx[n, i] = sum_o dy[n, o] W[o, i]
    for (int n = 0; n < rows; ++n) {
      const float* dyr = dy + static_cast<size_t>(n) * out_;
      float* dxr = dx + static_cast<size_t>(n) * in_;
      std::memset(dxr, 0, sizeof(float) * in_);
      for (int o = 0; o < out_; ++o) {
        const float g = dyr[o];
        const float* w = weight_ + static_cast<size_t>(o) * in_;
        for (int i = 0; i < in_; ++i) dxr[i] += g * w[i];
      }
    }
  }

 private:
  bool has_bias_;
  int weight_id_ = -1, bias_id_ = -1;
  float *weight_ = nullptr, *dweight_ = nullptr, *bias_ = nullptr, *dbias_ = nullptr;
};

}  // namespace

std::unique_ptr<Layer> make_linear(const LayerSpec& spec, int in) { return std::make_unique<Linear>(spec, in); }

}  // namespace normlab
