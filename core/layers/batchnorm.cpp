// BatchNorm1d over a (rows × features) batch, PyTorch's conventions exactly:
//   training: normalize each feature with the batch mean and the BIASED batch variance,
//             x̂ = (x − μ) / sqrt(σ² + ε)   (ε inside the root), y = γ x̂ + β;
//             running = (1 − momentum) · running + momentum · batch, with the UNBIASED variance
//             σ² · n / (n − 1) going into running_var.
//   eval:     normalize with running_mean / running_var.
//   A batch of one row cannot be normalized in training: that is an error, as in PyTorch.
#include <cmath>

#include "layer.h"

namespace normlab {
namespace {

class BatchNorm final : public Layer {
 public:
  BatchNorm(const LayerSpec& spec, int width) : Layer(width, width), eps_(spec.eps), momentum_(spec.momentum) {
    mean_.assign(width, 0.0f);
    rstd_.assign(width, 0.0f);
    batch_mean_.assign(width, 0.0f);
    batch_rstd_.assign(width, 0.0f);
    stats_.groups = width;
    stats_.mean.assign(width, 0.0f);
    stats_.var.assign(width, 0.0f);
    stats_.running_mean_before.assign(width, 0.0f);
    stats_.running_var_before.assign(width, 1.0f);
    stats_.gamma.assign(width, 1.0f);
    stats_.beta.assign(width, 0.0f);
    stats_.eps = eps_;
    stats_.momentum = momentum_;
  }
  LayerKind kind() const override { return LayerKind::BatchNorm; }

  void declare(TensorTable& t, const std::string& prefix) override {
    affine_.declare(t, prefix, out_);
    rmean_id_ = t.add(prefix + "running_mean", TensorRole::Buffer, {out_});
    rvar_id_ = t.add(prefix + "running_var", TensorRole::Buffer, {out_});
  }
  void bind(TensorTable& t) override {
    affine_.bind(t);
    running_mean_ = t.value(rmean_id_), running_var_ = t.value(rvar_id_);
  }
  void reset_parameters(TorchGenerator&) override {
    affine_.reset(out_);
    for (int c = 0; c < out_; ++c) running_mean_[c] = 0, running_var_[c] = 1;
  }

  Status forward(const float* x, float* y, int rows, const Context& ctx) override {
    const int C = out_;
    train_mode_ = ctx.training;
    if (ctx.training) {
      if (rows < 2)
        return Status::Error("batchnorm: expected more than 1 value per channel when training, got input size [" +
                             std::to_string(rows) + ", " + std::to_string(C) + "]");
      // Sums in double, as ATen's CPU kernel accumulates (acc_type<float> is double); row by row, so every
      // feature's sum runs over n in order while consecutive features fill SIMD lanes.
      double* sum = acc1_.data();
      double* var_sum = acc2_.data();
      for (int c = 0; c < C; ++c) sum[c] = 0, var_sum[c] = 0;
      for (int n = 0; n < rows; ++n) {
        const float* xr = x + static_cast<size_t>(n) * C;
        for (int c = 0; c < C; ++c) sum[c] += xr[c];
      }
      for (int c = 0; c < C; ++c) sum[c] /= rows;  // now the mean
      for (int n = 0; n < rows; ++n) {
        const float* xr = x + static_cast<size_t>(n) * C;
        for (int c = 0; c < C; ++c) {
          const double d = xr[c] - sum[c];
          var_sum[c] += d * d;
        }
      }
      for (int c = 0; c < C; ++c) {
        const double mean = sum[c];
        const double var = var_sum[c] / rows;  // biased: what normalizes the batch
        mean_[c] = batch_mean_[c] = static_cast<float>(mean);
        rstd_[c] = batch_rstd_[c] = static_cast<float>(1.0 / std::sqrt(var + eps_));
        stats_.mean[c] = static_cast<float>(mean);
        stats_.var[c] = static_cast<float>(var);
        const double unbiased = var_sum[c] / (rows - 1);  // unbiased: what running_var tracks
        stats_.running_mean_before[c] = running_mean_[c];
        stats_.running_var_before[c] = running_var_[c];
        stats_.gamma[c] = affine_.gamma[c];
        stats_.beta[c] = affine_.beta[c];
        running_mean_[c] = static_cast<float>(momentum_ * mean + (1.0 - momentum_) * running_mean_[c]);
        running_var_[c] = static_cast<float>(momentum_ * unbiased + (1.0 - momentum_) * running_var_[c]);
      }
    } else {
      for (int c = 0; c < C; ++c) {
        mean_[c] = running_mean_[c];
        rstd_[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var_[c]) + eps_));
        stats_.mean[c] = running_mean_[c];
        stats_.var[c] = running_var_[c];
      }
    }
    stats_.used_running = !ctx.training;
    has_batch_ = has_batch_ || ctx.training;
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * C;
      float* yr = y + static_cast<size_t>(n) * C;
      for (int c = 0; c < C; ++c) yr[c] = (xr[c] - mean_[c]) * rstd_[c] * affine_.gamma[c] + affine_.beta[c];
    }
    return Status::Ok();
  }

  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    const int C = out_;
    double* sum_dy = acc1_.data();
    double* sum_dy_xhat = acc2_.data();
    for (int c = 0; c < C; ++c) sum_dy[c] = 0, sum_dy_xhat[c] = 0;
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * C;
      const float* dyr = dy + static_cast<size_t>(n) * C;
      for (int c = 0; c < C; ++c) {
        const float xhat = (xr[c] - mean_[c]) * rstd_[c];
        sum_dy[c] += dyr[c];
        sum_dy_xhat[c] += static_cast<double>(dyr[c]) * xhat;
      }
    }
    for (int c = 0; c < C; ++c) {
      affine_.dgamma[c] += static_cast<float>(sum_dy_xhat[c]);
      affine_.dbeta[c] += static_cast<float>(sum_dy[c]);
    }
    if (!dx) return;
    if (train_mode_) {
      // x̂ depends on every row through μ and σ²:  dx = γ·rstd · (dy − mean(dy) − x̂·mean(dy·x̂))
      // (in float from here: the sums are the only place where cancellation can bite)
      float* k1 = scale_.data();  // mean(dy), per feature
      float* k2 = shift_.data();  // mean(dy·x̂), per feature
      for (int c = 0; c < C; ++c) k1[c] = static_cast<float>(sum_dy[c] / rows), k2[c] = static_cast<float>(sum_dy_xhat[c] / rows);
      for (int n = 0; n < rows; ++n) {
        const float* xr = x + static_cast<size_t>(n) * C;
        const float* dyr = dy + static_cast<size_t>(n) * C;
        float* dxr = dx + static_cast<size_t>(n) * C;
        for (int c = 0; c < C; ++c) {
          const float xhat = (xr[c] - mean_[c]) * rstd_[c];
          dxr[c] = affine_.gamma[c] * rstd_[c] * ((dyr[c] - k1[c]) - xhat * k2[c]);
        }
      }
    } else {
      // running statistics are constants: dx = γ·rstd·dy
      for (int n = 0; n < rows; ++n)
        for (int c = 0; c < C; ++c) {
          const size_t k = static_cast<size_t>(n) * C + c;
          dx[k] = dy[k] * affine_.gamma[c] * rstd_[c];
        }
    }
  }

  // Eval: running statistics, as one scale and shift per feature. TrainBatch: the last training batch's
  // statistics (running ones before the first step), so a boundary shows what training sees.
  bool per_feature_affine(InferMode mode, const float** scale, const float** shift) const override {
    const bool batch = mode == InferMode::TrainBatch && has_batch_;
    for (int c = 0; c < out_; ++c) {
      const float mean = batch ? batch_mean_[c] : running_mean_[c];
      const float rstd = batch ? batch_rstd_[c]
                               : static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var_[c]) + eps_));
      scale_[c] = rstd * affine_.gamma[c];
      shift_[c] = affine_.beta[c] - mean * scale_[c];
    }
    *scale = scale_.data();
    *shift = shift_.data();
    return true;
  }

  void infer(const float* x, float* y, int rows, InferMode mode) const override {
    const float *scale, *shift;
    per_feature_affine(mode, &scale, &shift);
    const int C = out_;
    for (int n = 0; n < rows; ++n) {
      const float* xr = x + static_cast<size_t>(n) * C;
      float* yr = y + static_cast<size_t>(n) * C;
      for (int c = 0; c < C; ++c) yr[c] = xr[c] * scale[c] + shift[c];
    }
  }

  const NormStats* norm_stats() const override { return &stats_; }

 private:
  double eps_, momentum_;
  bool train_mode_ = true;
  Affine affine_;
  int rmean_id_ = -1, rvar_id_ = -1;
  float *running_mean_ = nullptr, *running_var_ = nullptr;
  std::vector<float> mean_, rstd_;  // (features): what this forward normalized with, kept for backward
  std::vector<float> batch_mean_, batch_rstd_;  // (features): the last training batch's statistics
  std::vector<double> acc1_ = std::vector<double>(out_), acc2_ = std::vector<double>(out_);  // (features): sums
  bool has_batch_ = false;
  mutable std::vector<float> scale_ = std::vector<float>(out_), shift_ = std::vector<float>(out_);
  NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_batchnorm(const LayerSpec& spec, int width) {
  return std::make_unique<BatchNorm>(spec, width);
}

}  // namespace normlab
