// Element-wise activations, forward and backward side by side, as PyTorch defines them:
//   relu        max(0, x); NaN stays NaN       d/dx: 1 if x > 0 else 0 (0 at x = 0, and at NaN)
//   leaky_relu  x if x > 0 else slope·x        d/dx: 1 if x > 0 else slope
//   tanh        tanh x                         d/dx: 1 − y²
//   sigmoid     1 / (1 + e^−x)                 d/dx: y (1 − y)
//   gelu        x · Φ(x), Φ(x) = ½(1 + erf(x/√2)) (exact form, nn.GELU())   d/dx: Φ(x) + x φ(x)
// Transcendental functions come from mathfn (deterministic across compilers), computed in double.
#include "layer.h"
#include "util/mathfn.h"
#include "util/simd.h"

namespace normlab {
namespace {

constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

class Activation final : public Layer {
 public:
  Activation(const LayerSpec& spec, int width) : Layer(width, width), kind_(spec.kind), slope_(spec.slope) {}
  LayerKind kind() const override { return kind_; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Activation>(*this); }

  Status forward(const float* x, float* y, int rows, const Context&) override {
    infer(x, y, rows, InferMode::Eval);
    return Status::Ok();
  }

  void infer(const float* x, float* y, int rows, InferMode) const override {
    const size_t n = static_cast<size_t>(rows) * out_;
    switch (kind_) {
      case LayerKind::ReLU: {
        size_t k = 0;
        for (; k + 4 <= n; k += 4) {
          const f32x4 v = load4(x + k);
          store4(y + k, select4(v < splat4(0.0f), splat4(0.0f), v));  // NaN < 0 is false: NaN passes, as in PyTorch
        }
        for (; k < n; ++k) y[k] = x[k] < 0 ? 0.0f : x[k];
        break;
      }
      case LayerKind::LeakyReLU: {
        const float s = static_cast<float>(slope_);
        for (size_t k = 0; k < n; ++k) y[k] = x[k] > 0 ? x[k] : x[k] * s;
        break;
      }
      case LayerKind::Tanh:
        for (size_t k = 0; k < n; ++k) y[k] = static_cast<float>(det::tanh(x[k]));
        break;
      case LayerKind::Sigmoid:
        for (size_t k = 0; k < n; ++k) y[k] = static_cast<float>(1.0 / (1.0 + det::exp(-static_cast<double>(x[k]))));
        break;
      case LayerKind::GELU:
        for (size_t k = 0; k < n; ++k) {
          const double v = x[k];
          y[k] = static_cast<float>(v * 0.5 * (1.0 + det::erf(v * kSqrt1_2)));
        }
        break;
      default:
        break;
    }
  }

  void backward(const float* x, const float* y, const float* dy, float* dx, int rows) override {
    if (!dx) return;
    const size_t n = static_cast<size_t>(rows) * out_;
    switch (kind_) {
      case LayerKind::ReLU: {
        size_t k = 0;
        for (; k + 4 <= n; k += 4) store4(dx + k, select4(load4(x + k) > splat4(0.0f), load4(dy + k), splat4(0.0f)));
        for (; k < n; ++k) dx[k] = x[k] > 0 ? dy[k] : 0.0f;
        break;
      }
      case LayerKind::LeakyReLU: {
        const float s = static_cast<float>(slope_);
        for (size_t k = 0; k < n; ++k) dx[k] = x[k] > 0 ? dy[k] : dy[k] * s;
        break;
      }
      case LayerKind::Tanh:
        for (size_t k = 0; k < n; ++k) dx[k] = dy[k] * (1.0f - y[k] * y[k]);
        break;
      case LayerKind::Sigmoid:
        for (size_t k = 0; k < n; ++k) dx[k] = dy[k] * ((1.0f - y[k]) * y[k]);
        break;
      case LayerKind::GELU:
        for (size_t k = 0; k < n; ++k) {
          const double v = x[k];
          const double cdf = 0.5 * (1.0 + det::erf(v * kSqrt1_2));
          const double pdf = kInvSqrt2Pi * det::exp(-0.5 * v * v);
          dx[k] = static_cast<float>(dy[k] * (cdf + v * pdf));
        }
        break;
      default:
        break;
    }
  }

 private:
  LayerKind kind_;
  double slope_;
};

}  // namespace

std::unique_ptr<Layer> make_activation(const LayerSpec& spec, int width) {
  return std::make_unique<Activation>(spec, width);
}

}  // namespace normlab
