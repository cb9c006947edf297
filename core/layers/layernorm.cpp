// LayerNorm: each row (one sample's features) normalized by its own mean and BIASED variance,
// x̂ = (x − μ) / sqrt(σ² + ε) with ε inside the root (PyTorch; one passage of the lesson writes
// (x − μ)/(σ + ε)), then y = γ x̂ + β with γ = 1, β = 0 at init. No running statistics: training and
// eval compute the same thing, and a batch of one row is fine.
// LayerNorm is GroupNorm with one group: the kernel below normalizes any run of values, and GroupNorm
// (groupnorm.cpp) uses it per group. It sums in float, four lanes at a time (a fixed order: the same bits
// natively and in WebAssembly), unlike BatchNorm, which sums in double as ATen's CPU kernel does.
#include <cmath>

#include "layer.h"
#include "util/simd.h"

namespace normlab {

namespace {

// A run's sum from four interleaved partial sums and the scalar tail: (s0 + s1) + (s2 + s3) + tail, a fixed
// order, so the same bits on every build.
inline float lanes_sum(f32x4 acc, float tail) { return (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail; }

}  // namespace

void normalize_segments_forward(const float* x, float* y, float* mean, float* var, float* rstd, int segments,
                                int len, int width, double eps, const float* gamma, const float* beta) {
  const int len4 = len - len % 4;
  for (int s = 0; s < segments; ++s) {
    const float* xs = x + static_cast<size_t>(s) * len;
    float* ys = y + static_cast<size_t>(s) * len;
    f32x4 acc = {};
    for (int k = 0; k < len4; k += 4) acc += load4(xs + k);
    float tail = 0;
    for (int k = len4; k < len; ++k) tail += xs[k];
    const float m = lanes_sum(acc, tail) / static_cast<float>(len);
    f32x4 sq = {};
    const f32x4 mv = splat4(m);
    for (int k = 0; k < len4; k += 4) {
      const f32x4 d = load4(xs + k) - mv;
      sq += d * d;
    }
    tail = 0;
    for (int k = len4; k < len; ++k) tail += (xs[k] - m) * (xs[k] - m);
    const float v = lanes_sum(sq, tail) / static_cast<float>(len);  // biased
    const float r = static_cast<float>(1.0 / std::sqrt(static_cast<double>(v) + eps));
    if (mean) mean[s] = m;
    if (var) var[s] = v;
    if (rstd) rstd[s] = r;
    const int c0 = static_cast<int>((static_cast<size_t>(s) * len) % width);  // feature index of xs[0]
    const f32x4 rv = splat4(r);
    int k = 0;
    for (; k < len4; k += 4)
      store4(ys + k, (load4(xs + k) - mv) * rv * load4(gamma + c0 + k) + load4(beta + c0 + k));
    for (; k < len; ++k) ys[k] = (xs[k] - m) * r * gamma[c0 + k] + beta[c0 + k];
  }
}

void normalize_segments_backward(const float* x, const float* dy, float* dx, const float* mean,
                                 const float* rstd, int segments, int len, int width, const float* gamma,
                                 float* dgamma, float* dbeta) {
  const int len4 = len - len % 4;
  for (int s = 0; s < segments; ++s) {
    const float* xs = x + static_cast<size_t>(s) * len;
    const float* dys = dy + static_cast<size_t>(s) * len;
    const int c0 = static_cast<int>((static_cast<size_t>(s) * len) % width);
    const f32x4 mv = splat4(mean[s]), rv = splat4(rstd[s]);
    // Σ dx̂ and Σ dx̂·x̂, with dx̂ = dy·γ; and dγ += dy·x̂, dβ += dy.
    f32x4 sum_g = {}, sum_gx = {};
    int k = 0;
    for (; k < len4; k += 4) {
      const f32x4 xhat = (load4(xs + k) - mv) * rv;
      const f32x4 d = load4(dys + k);
      const f32x4 g = d * load4(gamma + c0 + k);
      sum_g += g;
      sum_gx += g * xhat;
      store4(dgamma + c0 + k, load4(dgamma + c0 + k) + d * xhat);
      store4(dbeta + c0 + k, load4(dbeta + c0 + k) + d);
    }
    float tail_g = 0, tail_gx = 0;
    for (; k < len; ++k) {
      const float xhat = (xs[k] - mean[s]) * rstd[s];
      const float g = dys[k] * gamma[c0 + k];
      tail_g += g;
      tail_gx += g * xhat;
      dgamma[c0 + k] += dys[k] * xhat;
      dbeta[c0 + k] += dys[k];
    }
    if (!dx) continue;
    // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂·x̂))
    const float m1 = lanes_sum(sum_g, tail_g) / static_cast<float>(len);
    const float m2 = lanes_sum(sum_gx, tail_gx) / static_cast<float>(len);
    float* dxs = dx + static_cast<size_t>(s) * len;
    const f32x4 m1v = splat4(m1), m2v = splat4(m2);
    for (k = 0; k < len4; k += 4) {
      const f32x4 xhat = (load4(xs + k) - mv) * rv;
      store4(dxs + k, rv * ((load4(dys + k) * load4(gamma + c0 + k) - m1v) - xhat * m2v));
    }
    for (; k < len; ++k) {
      const float xhat = (xs[k] - mean[s]) * rstd[s];
      dxs[k] = rstd[s] * ((dys[k] * gamma[c0 + k] - m1) - xhat * m2);
    }
  }
}

namespace {

// LayerNorm normalizes each row as one segment; GroupNorm each row's `groups` consecutive segments. The
// same layer serves both: with groups = 1 it is LayerNorm (same parameters, same state_dict).
class SegmentNorm final : public Layer {
 public:
  SegmentNorm(LayerKind kind, int groups, double eps, int width)
      : Layer(width, width), kind_(kind), groups_(groups), eps_(eps) {}
  LayerKind kind() const override { return kind_; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<SegmentNorm>(*this); }

  void declare(TensorTable& t, const std::string& prefix) override { affine_.declare(t, prefix, out_); }
  void bind(TensorTable& t) override { affine_.bind(t); }
  void reset_parameters(TorchGenerator&) override { affine_.reset(out_); }
  void reserve(int rows) override {
    const size_t n = static_cast<size_t>(rows) * groups_;
    if (mean_.size() < n) mean_.resize(n), var_.resize(n), rstd_.resize(n);
  }

  // Consecutive groups of consecutive rows are consecutive runs of C/groups values: one call covers all.
  Status forward(const float* x, float* y, int rows, const Context&) override {
    segments_ = rows * groups_;
    normalize_segments_forward(x, y, mean_.data(), var_.data(), rstd_.data(), segments_, out_ / groups_, out_, eps_,
                               affine_.gamma, affine_.beta);
    return Status::Ok();
  }
  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    normalize_segments_backward(x, dy, dx, mean_.data(), rstd_.data(), rows * groups_, out_ / groups_, out_,
                                affine_.gamma, affine_.dgamma, affine_.dbeta);
  }
  void infer(const float* x, float* y, int rows, InferMode) const override {
    normalize_segments_forward(x, y, nullptr, nullptr, nullptr, rows * groups_, out_ / groups_, out_, eps_,
                               affine_.gamma, affine_.beta);
  }
  bool infer_stats(const float* x, float* y, int rows, InferMode, InferStats* stats) const override {
    const size_t base = stats->mean.size(), segments = static_cast<size_t>(rows) * groups_;
    stats->mean.resize(base + segments), stats->var.resize(base + segments);
    normalize_segments_forward(x, y, stats->mean.data() + base, stats->var.data() + base, nullptr, rows * groups_,
                               out_ / groups_, out_, eps_, affine_.gamma, affine_.beta);
    stats->per_row = groups_, stats->eps = eps_, stats->running = false;
    return true;
  }
  const NormStats* norm_stats() const override {
    stats_.groups = segments_;
    stats_.mean.assign(mean_.begin(), mean_.begin() + segments_);
    stats_.var.assign(var_.begin(), var_.begin() + segments_);
    return &stats_;
  }

 private:
  LayerKind kind_;
  int groups_;
  double eps_;
  int segments_ = 0;
  Affine affine_;
  std::vector<float> mean_, var_, rstd_;  // (rows × groups): what the last forward normalized with
  mutable NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_segment_norm(LayerKind kind, int groups, double eps, int width) {
  return std::make_unique<SegmentNorm>(kind, groups, eps, width);
}

std::unique_ptr<Layer> make_layernorm(const LayerSpec& spec, int width) {
  return make_segment_norm(LayerKind::LayerNorm, 1, spec.eps, width);
}

}  // namespace normlab
