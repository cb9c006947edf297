// BatchNorm1d over a (rows × C) batch, PyTorch's conventions exactly:
//   training: normalize each feature with the batch mean and the BIASED batch variance,
//             x̂ = (x − μ) / sqrt(σ² + ε)   (ε inside the root), y = γ x̂ + β;
//             running = (1 − momentum) · running + momentum · batch, with the UNBIASED variance
//             σ² · n / (n − 1) going into running_var.
//   eval:     normalize with running_mean / running_var.
//   A batch of one row cannot be normalized in training: that is an error, as in PyTorch.
// The kernels come first (free functions over flat arrays: outputs, caches, inputs, parameters, sizes), then
// the layer that owns the buffers and calls them.
#include <algorithm>
#include <cmath>

#include "layer.h"
#include "moments.h"

namespace normlab {
namespace {

// 1 / sqrt(running_var + ε): what eval mode normalizes with (ε inside the root, the sum in double).
inline float running_rstd(float running_var, double eps) {
  return static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var) + eps));
}

// y = (x − μ) · rstd · γ + β, feature by feature, in float.
// y (rows × C); x (rows × C); mean, rstd, gamma, beta (C)
void batchnorm_normalize(float* y, const float* x, const float* mean, const float* rstd, const float* gamma,
                         const float* beta, int rows, int C) {
  for (int n = 0; n < rows; ++n) {
    const float* xr = x + static_cast<size_t>(n) * C;
    float* yr = y + static_cast<size_t>(n) * C;
    for (int c = 0; c < C; ++c) yr[c] = (xr[c] - mean[c]) * rstd[c] * gamma[c] + beta[c];
  }
}

// Training: the batch's own statistics. The sums run in double (moments.h), and each statistic is rounded to
// float once.
// y (rows × C); mean, rstd (C): what normalized, for backward; var, var_unbiased (C): σ² biased (normalizes)
// and unbiased (goes into running_var); mean64, sq_dev64 (C): μ and Σ(x − μ)² in double, for the running
// update; x (rows × C); gamma, beta (C)
void batchnorm_forward_train(float* y, float* mean, float* rstd, float* var, float* var_unbiased,
                             double* mean64, double* sq_dev64, const float* x, const float* gamma,
                             const float* beta, int rows, int C, double eps) {
  sum_moments(x, rows, C, 1, true, mean64, sq_dev64);
  for (int c = 0; c < C; ++c) {
    const double biased = sq_dev64[c] / rows;
    mean[c] = static_cast<float>(mean64[c]);
    var[c] = static_cast<float>(biased);
    rstd[c] = static_cast<float>(1.0 / std::sqrt(biased + eps));
    var_unbiased[c] = static_cast<float>(sq_dev64[c] / (rows - 1));
  }
  batchnorm_normalize(y, x, mean, rstd, gamma, beta, rows, C);
}

// running = momentum · batch + (1 − momentum) · running, from the double statistics (rounded once).
// running_mean, running_var (C): updated in place; mean64, sq_dev64 (C): from batchnorm_forward_train
void batchnorm_update_running(float* running_mean, float* running_var, const double* mean64,
                              const double* sq_dev64, int rows, int C, double momentum) {
  for (int c = 0; c < C; ++c) {
    const double unbiased = sq_dev64[c] / (rows - 1);
    running_mean[c] = static_cast<float>(momentum * mean64[c] + (1.0 - momentum) * running_mean[c]);
    running_var[c] = static_cast<float>(momentum * unbiased + (1.0 - momentum) * running_var[c]);
  }
}

// Eval: the running statistics, which this forward does not change.
// y (rows × C); mean, rstd (C): what normalized, for backward; x (rows × C); running_mean, running_var,
// gamma, beta (C)
void batchnorm_forward_eval(float* y, float* mean, float* rstd, const float* x, const float* running_mean,
                            const float* running_var, const float* gamma, const float* beta, int rows, int C,
                            double eps) {
  for (int c = 0; c < C; ++c) mean[c] = running_mean[c], rstd[c] = running_rstd(running_var[c], eps);
  batchnorm_normalize(y, x, mean, rstd, gamma, beta, rows, C);
}

// Why dx has three terms in training: μ and σ² are computed from every row, so each x reaches the loss
//   through x̂ directly:  γ·rstd·dy
//   through μ:            −γ·rstd·mean(dy)          (every x̂ moves by −rstd/n when one x moves)
//   through σ²:           −γ·rstd·x̂·mean(dy·x̂)     (∂rstd/∂x = −rstd³·(x − μ)/n)
// In eval, μ and σ² are constants and only the first term is left. dγ += Σ dy·x̂ and dβ += Σ dy over rows,
// summed in double; from the means on, float (the sums are where cancellation can bite).
// dx (rows × C, may be null); dgamma, dbeta (C): accumulated; sum_dy, sum_dy_xhat (C): double scratch;
// mean_dy, mean_dy_xhat (C): float scratch; dy, x (rows × C); mean, rstd (C): what forward normalized
// with; gamma (C)
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, double* sum_dy, double* sum_dy_xhat,
                        float* mean_dy, float* mean_dy_xhat, const float* dy, const float* x,
                        const float* mean, const float* rstd, const float* gamma, int rows, int C,
                        bool batch_statistics) {
  for (int c = 0; c < C; ++c) sum_dy[c] = 0, sum_dy_xhat[c] = 0;
  for (int n = 0; n < rows; ++n) {
    const float* xr = x + static_cast<size_t>(n) * C;
    const float* dyr = dy + static_cast<size_t>(n) * C;
    for (int c = 0; c < C; ++c) {
      const float xhat = (xr[c] - mean[c]) * rstd[c];
      sum_dy[c] += dyr[c];
      sum_dy_xhat[c] += static_cast<double>(dyr[c]) * xhat;
    }
  }
  for (int c = 0; c < C; ++c) {
    dgamma[c] += static_cast<float>(sum_dy_xhat[c]);
    dbeta[c] += static_cast<float>(sum_dy[c]);
  }
  if (!dx) return;
  if (!batch_statistics) {
    for (int n = 0; n < rows; ++n)
      for (int c = 0; c < C; ++c) {
        const size_t k = static_cast<size_t>(n) * C + c;
        dx[k] = dy[k] * gamma[c] * rstd[c];
      }
    return;
  }
  for (int c = 0; c < C; ++c) {
    mean_dy[c] = static_cast<float>(sum_dy[c] / rows);
    mean_dy_xhat[c] = static_cast<float>(sum_dy_xhat[c] / rows);
  }
  for (int n = 0; n < rows; ++n) {
    const float* xr = x + static_cast<size_t>(n) * C;
    const float* dyr = dy + static_cast<size_t>(n) * C;
    float* dxr = dx + static_cast<size_t>(n) * C;
    for (int c = 0; c < C; ++c) {
      const float xhat = (xr[c] - mean[c]) * rstd[c];
      dxr[c] = gamma[c] * rstd[c] * ((dyr[c] - mean_dy[c]) - xhat * mean_dy_xhat[c]);
    }
  }
}

class BatchNorm final : public Layer {
 public:
  BatchNorm(const LayerSpec& spec, int width)
      : Layer(width, width), eps_(spec.eps), momentum_(spec.momentum) {
    stats_.groups = width;
    stats_.mean.assign(width, 0.0f);
    stats_.var.assign(width, 0.0f);
    stats_.var_unbiased.assign(width, 0.0f);
    stats_.running_mean_before.assign(width, 0.0f);
    stats_.running_var_before.assign(width, 1.0f);
    stats_.gamma.assign(width, 1.0f);
    stats_.beta.assign(width, 0.0f);
    stats_.eps = eps_;
    stats_.momentum = momentum_;
  }
  LayerKind kind() const override { return LayerKind::BatchNorm; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<BatchNorm>(*this); }

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
        return Status::Error(
            "batchnorm: expected more than 1 value per channel when training, got input size [" +
            std::to_string(rows) + ", " + std::to_string(C) + "]");
      snapshot_before_update();
      batchnorm_forward_train(y, batch_mean_.data(), batch_rstd_.data(), batch_var_.data(),
                              stats_.var_unbiased.data(), mean64_.data(), sq_dev64_.data(), x, affine_.gamma,
                              affine_.beta, rows, C, eps_);
      batchnorm_update_running(running_mean_, running_var_, mean64_.data(), sq_dev64_.data(), rows, C,
                               momentum_);
      mean_ = batch_mean_, rstd_ = batch_rstd_, stats_.mean = batch_mean_, stats_.var = batch_var_;
      has_batch_ = true;
    } else {
      batchnorm_forward_eval(y, mean_.data(), rstd_.data(), x, running_mean_, running_var_, affine_.gamma,
                             affine_.beta, rows, C, eps_);
      std::copy(running_mean_, running_mean_ + C, stats_.mean.begin());
      std::copy(running_var_, running_var_ + C, stats_.var.begin());
    }
    stats_.used_running = !ctx.training;
    return Status::Ok();
  }

  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    batchnorm_backward(dx, affine_.dgamma, affine_.dbeta, sum_dy_.data(), sum_dy_xhat_.data(),
                       mean_dy_.data(), mean_dy_xhat_.data(), dy, x, mean_.data(), rstd_.data(),
                       affine_.gamma, rows, out_, train_mode_);
  }

  // Eval: running statistics, as one scale and shift per feature. TrainBatch: the last training batch's
  // statistics (running ones before the first step), so a boundary shows what training sees.
  bool per_feature_affine(InferMode mode, const float** scale, const float** shift) const override {
    const bool batch = mode == InferMode::TrainBatch && has_batch_;
    for (int c = 0; c < out_; ++c) {
      const float mean = batch ? batch_mean_[c] : running_mean_[c];
      const float rstd = batch ? batch_rstd_[c] : running_rstd(running_var_[c], eps_);
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

  // The statistics infer normalizes with: the last training batch's mean and biased variance (TrainBatch after
  // a training step), else the running ones.
  bool infer_stats(const float* x, float* y, int rows, InferMode mode, InferStats* stats) const override {
    infer(x, y, rows, mode);
    const bool batch = mode == InferMode::TrainBatch && has_batch_;
    const float* mean = batch ? batch_mean_.data() : running_mean_;
    const float* var = batch ? batch_var_.data() : running_var_;
    stats->mean.assign(mean, mean + out_);
    stats->var.assign(var, var + out_);
    stats->per_row = 0, stats->eps = eps_, stats->running = !batch;
    return true;
  }

  const NormStats* norm_stats() const override { return &stats_; }

 private:
  // The lessons' snapshot: the running statistics, γ and β as this batch finds them, before it updates the
  // running statistics and before the optimizer moves γ and β.
  void snapshot_before_update() {
    std::copy(running_mean_, running_mean_ + out_, stats_.running_mean_before.begin());
    std::copy(running_var_, running_var_ + out_, stats_.running_var_before.begin());
    std::copy(affine_.gamma, affine_.gamma + out_, stats_.gamma.begin());
    std::copy(affine_.beta, affine_.beta + out_, stats_.beta.begin());
  }

  using Floats = std::vector<float>;
  using Doubles = std::vector<double>;
  double eps_, momentum_;
  bool train_mode_ = true;  // whether the last forward normalized with batch statistics
  bool has_batch_ = false;  // whether any training forward has run
  Affine affine_;
  int rmean_id_ = -1, rvar_id_ = -1;
  float *running_mean_ = nullptr, *running_var_ = nullptr;  // (C), in the tensor table (state_dict buffers)
  // Every buffer is (C) and has one meaning.
  Floats mean_ = Floats(out_), rstd_ = Floats(out_);              // what the last forward normalized with
  Floats batch_mean_ = Floats(out_), batch_rstd_ = Floats(out_);  // the last training batch's statistics
  Floats batch_var_ = Floats(out_);                                // … and its biased variance
  Doubles mean64_ = Doubles(out_), sq_dev64_ = Doubles(out_);     // forward: μ and Σ(x − μ)² in double
  Doubles sum_dy_ = Doubles(out_), sum_dy_xhat_ = Doubles(out_);  // backward: Σ dy and Σ dy·x̂ in double
  Floats mean_dy_ = Floats(out_), mean_dy_xhat_ = Floats(out_);   // backward: mean(dy), mean(dy·x̂)
  mutable Floats scale_ = Floats(out_), shift_ = Floats(out_);    // inference: the folded per-feature map
  NormStats stats_;
};

}  // namespace

std::unique_ptr<Layer> make_batchnorm(const LayerSpec& spec, int width) {
  return std::make_unique<BatchNorm>(spec, width);
}

}  // namespace normlab
