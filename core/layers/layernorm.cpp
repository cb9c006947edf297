// LayerNorm: each row (one sample's features) normalized by its own mean and BIASED variance,
// x̂ = (x − μ) / sqrt(σ² + ε) with ε inside the root (PyTorch; one passage of the lesson writes
// (x − μ)/(σ + ε)), then y = γ x̂ + β with γ = 1, β = 0 at init. No running statistics: training and
// eval compute the same thing, and a batch of one row is fine.
// The kernel below normalizes any run of values; GroupNorm (groupnorm.cpp) reuses it per group.
#include <cmath>

#include "layer.h"

namespace normlab {

void normalize_segments_forward(const float* x, float* y, float* mean, float* var, float* rstd, int segments,
                                int len, int width, double eps, const float* gamma, const float* beta) {
  for (int s = 0; s < segments; ++s) {
    const float* xs = x + static_cast<size_t>(s) * len;
    float* ys = y + static_cast<size_t>(s) * len;
    double sum = 0;
    for (int k = 0; k < len; ++k) sum += xs[k];
    const double mu = sum / len;
    double var_acc = 0;
    for (int k = 0; k < len; ++k) var_acc += (xs[k] - mu) * (xs[k] - mu);
    var_acc /= len;  // biased
    const float r = static_cast<float>(1.0 / std::sqrt(var_acc + eps));
    const float m = static_cast<float>(mu);
    if (mean) mean[s] = m;
    if (var) var[s] = static_cast<float>(var_acc);
    if (rstd) rstd[s] = r;
    const int c0 = static_cast<int>((static_cast<size_t>(s) * len) % width);  // feature index of xs[0]
    for (int k = 0; k < len; ++k) ys[k] = (xs[k] - m) * r * gamma[c0 + k] + beta[c0 + k];
  }
}

void normalize_segments_backward(const float* x, const float* dy, float* dx, const float* mean,
                                 const float* rstd, int segments, int len, int width, const float* gamma,
                                 float* dgamma, float* dbeta) {
  for (int s = 0; s < segments; ++s) {
    const float* xs = x + static_cast<size_t>(s) * len;
    const float* dys = dy + static_cast<size_t>(s) * len;
    const int c0 = static_cast<int>((static_cast<size_t>(s) * len) % width);
    double sum_g = 0, sum_g_xhat = 0;  // Σ dx̂ and Σ dx̂·x̂, with dx̂ = dy·γ
    for (int k = 0; k < len; ++k) {
      const float xhat = (xs[k] - mean[s]) * rstd[s];
      const float g = dys[k] * gamma[c0 + k];
      sum_g += g;
      sum_g_xhat += static_cast<double>(g) * xhat;
      dgamma[c0 + k] += dys[k] * xhat;
      dbeta[c0 + k] += dys[k];
    }
    if (!dx) continue;
    // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂·x̂))
    const double m1 = sum_g / len, m2 = sum_g_xhat / len;
    float* dxs = dx + static_cast<size_t>(s) * len;
    for (int k = 0; k < len; ++k) {
      const double xhat = (xs[k] - mean[s]) * rstd[s];
      dxs[k] = static_cast<float>(rstd[s] * (dys[k] * gamma[c0 + k] - m1 - xhat * m2));
    }
  }
}

namespace {

class LayerNorm final : public Layer {
 public:
  LayerNorm(const LayerSpec& spec, int width) : Layer(width, width), eps_(spec.eps) {}
  LayerKind kind() const override { return LayerKind::LayerNorm; }

  void declare(TensorTable& t, const std::string& prefix) override {
    affine_.declare(t, prefix, out_);
  }
  void bind(TensorTable& t) override {
    affine_.bind(t);
  }
  void reset_parameters(TorchGenerator&) override { affine_.reset(out_); }
  void reserve(int rows) override {
    if (static_cast<int>(mean_.size()) < rows) mean_.resize(rows), var_.resize(rows), rstd_.resize(rows);
  }

  Status forward(const float* x, float* y, int rows, const Context&) override {
    normalize_segments_forward(x, y, mean_.data(), var_.data(), rstd_.data(), rows, out_, out_, eps_, affine_.gamma, affine_.beta);
    rows_ = rows;
    return Status::Ok();
  }
  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    normalize_segments_backward(x, dy, dx, mean_.data(), rstd_.data(), rows, out_, out_, affine_.gamma, affine_.dgamma, affine_.dbeta);
  }
  void infer(const float* x, float* y, int rows, InferMode) const override {
    normalize_segments_forward(x, y, nullptr, nullptr, nullptr, rows, out_, out_, eps_, affine_.gamma, affine_.beta);
  }
  const NormStats* norm_stats() const override {
    stats_.groups = rows_;
    stats_.mean.assign(mean_.begin(), mean_.begin() + rows_);
    stats_.var.assign(var_.begin(), var_.begin() + rows_);
    return &stats_;
  }

 private:
  double eps_;
  int rows_ = 0;
  Affine affine_;
  std::vector<float> mean_, var_, rstd_;  // (rows)
  mutable NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_layernorm(const LayerSpec& spec, int width) {
  return std::make_unique<LayerNorm>(spec, width);
}

}  // namespace normlab
