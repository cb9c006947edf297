// GroupNorm on (rows × C): each row's C features are split into `groups` consecutive groups of C/groups;
// each group is normalized by its own mean and biased variance (ε inside the root), then every feature gets
// its own γ and β. groups = 1 is LayerNorm; groups = C normalizes every feature alone (InstanceNorm-like).
#include <cmath>

#include "layer.h"

namespace normlab {
namespace {

class GroupNorm final : public Layer {
 public:
  GroupNorm(const LayerSpec& spec, int width) : Layer(width, width), groups_(spec.groups), eps_(spec.eps) {}
  LayerKind kind() const override { return LayerKind::GroupNorm; }

  void declare(TensorTable& t, const std::string& prefix) override {
    affine_.declare(t, prefix, out_);
  }
  void bind(TensorTable& t) override {
    affine_.bind(t);
  }
  void reset_parameters(TorchGenerator&) override { affine_.reset(out_); }
  void reserve(int rows) override {
    const size_t n = static_cast<size_t>(rows) * groups_;
    if (mean_.size() < n) mean_.resize(n), var_.resize(n), rstd_.resize(n);
  }

  // Consecutive groups of consecutive rows are consecutive runs of C/groups values: one call covers all.
  Status forward(const float* x, float* y, int rows, const Context&) override {
    normalize_segments_forward(x, y, mean_.data(), var_.data(), rstd_.data(), rows * groups_, out_ / groups_, out_, eps_,
                               affine_.gamma, affine_.beta);
    segments_ = rows * groups_;
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
  const NormStats* norm_stats() const override {
    stats_.groups = segments_;
    stats_.mean.assign(mean_.begin(), mean_.begin() + segments_);
    stats_.var.assign(var_.begin(), var_.begin() + segments_);
    return &stats_;
  }

 private:
  int groups_;
  double eps_;
  int segments_ = 0;
  Affine affine_;
  std::vector<float> mean_, var_, rstd_;  // (rows × groups)
  mutable NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_groupnorm(const LayerSpec& spec, int width) {
  return std::make_unique<GroupNorm>(spec, width);
}

}  // namespace normlab
