// RMSNorm: no centering and no bias. Each row is divided by its root mean square, ε inside the root:
//   y = x / sqrt(mean(x²) + ε) · γ,   γ = 1 at init, ε = 1e-6 by default.
#include <cmath>

#include "layer.h"

namespace normlab {
namespace {

class RMSNorm final : public Layer {
 public:
  RMSNorm(const LayerSpec& spec, int width) : Layer(width, width), eps_(spec.eps) {}
  LayerKind kind() const override { return LayerKind::RMSNorm; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<RMSNorm>(*this); }

  void declare(TensorTable& t, const std::string& prefix) override { affine_.declare(t, prefix, out_, /*with_beta=*/false); }
  void bind(TensorTable& t) override { affine_.bind(t); }
  void reset_parameters(TorchGenerator&) override { affine_.reset(out_); }
  void reserve(int rows) override {
    if (static_cast<int>(rinv_.size()) < rows) rinv_.resize(rows), meansq_.resize(rows);
  }

  Status forward(const float* x, float* y, int rows, const Context&) override {
    normalize(x, y, rows, rinv_.data(), meansq_.data());
    rows_ = rows;
    return Status::Ok();
  }
  void infer(const float* x, float* y, int rows, InferMode) const override { normalize(x, y, rows, nullptr, nullptr); }
  // One statistic per row: mean 0 (no centering), var the mean of squares.
  bool infer_stats(const float* x, float* y, int rows, InferMode, InferStats* stats) const override {
    const size_t base = stats->var.size();
    stats->mean.resize(base + rows, 0.0f), stats->var.resize(base + rows);
    normalize(x, y, rows, nullptr, stats->var.data() + base);
    stats->per_row = 1, stats->eps = eps_, stats->running = false;
    return true;
  }

  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    const int C = out_;
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * C;
      const float* dyr = dy + static_cast<size_t>(n) * C;
      const double r = rinv_[n];
      double dot = 0;  // Σ dy·γ·x
      for (int c = 0; c < C; ++c) {
        affine_.dgamma[c] += static_cast<float>(dyr[c] * xr[c] * r);
        dot += static_cast<double>(dyr[c]) * affine_.gamma[c] * xr[c];
      }
      if (!dx) continue;
      // dx = r·γ·dy − x · r³ · Σ(dy·γ·x) / C
      float* dxr = dx + static_cast<size_t>(n) * C;
      const double k = r * r * r * dot / C;
      for (int c = 0; c < C; ++c) dxr[c] = static_cast<float>(r * affine_.gamma[c] * dyr[c] - xr[c] * k);
    }
  }

  void normalize(const float* x, float* y, int rows, float* rinv, float* meansq) const {
    const int C = out_;
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * C;
      float* yr = y + static_cast<size_t>(n) * C;
      double ss = 0;
      for (int c = 0; c < C; ++c) ss += static_cast<double>(xr[c]) * xr[c];
      const double ms = ss / C;
      const float r = static_cast<float>(1.0 / std::sqrt(ms + eps_));
      if (rinv) rinv[n] = r;
      if (meansq) meansq[n] = static_cast<float>(ms);
      for (int c = 0; c < C; ++c) yr[c] = xr[c] * r * affine_.gamma[c];
    }
  }

  const NormStats* norm_stats() const override {
    stats_.groups = rows_;
    stats_.mean.assign(rows_, 0.0f);
    stats_.var.assign(meansq_.begin(), meansq_.begin() + rows_);
    return &stats_;
  }

 private:
  double eps_;
  int rows_ = 0;
  Affine affine_;
  std::vector<float> rinv_, meansq_;  // (rows)
  mutable NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_rmsnorm(const LayerSpec& spec, int width) { return std::make_unique<RMSNorm>(spec, width); }

}  // namespace normlab
