// Layer: one step of a model, forward and backward over a whole batch (row-major rows × features).
// Each layer lives in its own file beside this one; a learner opens batchnorm.cpp to read BatchNorm.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "util/rng.h"
#include "spec.h"
#include "util/status.h"
#include "util/tensors.h"

namespace normlab {

struct Context {
  bool training = true;
  TorchGenerator* rng = nullptr;  // dropout draws, PyTorch's global generator
  // Dropout applies the masks of its last training forward (the same number of rows) instead of drawing new
  // ones: the loss of the last batch exactly as training saw it, at other parameters (core/landscape.h).
  bool reuse_masks = false;
  // Dropout is the identity even in training (Model::train_mode_logits: a batch's effect alone, no masks drawn).
  bool dropout = true;
};

// Inference without side effects (no caches written, no running statistics updated, no random draws):
// the decision-boundary grid and evaluation use it. BatchNorm normalizes with its running statistics
// (Eval, what model.eval() does) or with the statistics of the last training batch (TrainBatch).
enum class InferMode { Eval, TrainBatch };

// What a normalization layer computed on the last batch, for the lessons' views.
struct NormStats {
  int groups = 0;            // how many means/variances (BN: features, LN/RMS: rows, GN: rows × groups)
  std::vector<float> mean;   // batch (BN) or per-row/group mean; RMSNorm: zeros
  std::vector<float> var;    // biased variance (RMSNorm: mean of squares)
  // BatchNorm only: the last training batch's UNBIASED variance σ²·n/(n − 1), the one running_var tracks.
  std::vector<float> var_unbiased;
  bool used_running = false; // BatchNorm in eval mode normalized with running statistics
  // BatchNorm only: the running statistics as they were before the last training batch updated them.
  std::vector<float> running_mean_before, running_var_before;
  std::vector<float> gamma, beta;  // BatchNorm only: γ and β as the last training batch used them (before its update)
  double eps = 0, momentum = 0;
};

// What a normalization layer normalized some rows with, at inference (Model::layer_outputs): the statistics
// and ε, in the layer's own conventions (biased variance; RMSNorm: mean 0, var the mean of squares).
struct InferStats {
  int per_row = 0;               // statistics per row: LayerNorm, RMSNorm 1, GroupNorm its groups; BatchNorm 0
  std::vector<float> mean, var;  // per_row > 0: (rows × per_row), row-major; BatchNorm: (C), one per feature
  double eps = 0;
  bool running = false;          // BatchNorm: the running statistics (eval, or no training batch yet)
};

inline constexpr int kInferChunk = 256;  // rows per inference chunk: bounded scratch memory for any grid size

class Layer {
 public:
  Layer(int in, int out) : in_(in), out_(out) {}
  virtual ~Layer() = default;
  virtual LayerKind kind() const = 0;
  // A copy with every cache and buffer the layer owns (a dropout mask, the last batch's statistics). Its
  // parameter pointers still point into the original's table: bind() it to the copy's own table.
  virtual std::unique_ptr<Layer> clone() const = 0;
  int in_features() const { return in_; }
  int out_features() const { return out_; }

  // Registers parameters and buffers in state_dict order, named prefix + "weight", ...
  virtual void declare(TensorTable&, const std::string& prefix) { (void)prefix; }
  // Takes pointers into the table's blocks (called once they exist).
  virtual void bind(TensorTable&) {}
  // Initializes parameters and buffers exactly as the PyTorch module's constructor does.
  virtual void reset_parameters(TorchGenerator&) {}
  // Grows per-row caches; allocation happens here only, never in forward/backward.
  virtual void reserve(int rows) { (void)rows; }
  virtual Status forward(const float* x, float* y, int rows, const Context& ctx) = 0;
  // dy: gradient of the loss w.r.t. y. Writes dx (if not null) and accumulates (+=) parameter gradients.
  virtual void backward(const float* x, const float* y, const float* dy, float* dx, int rows) = 0;
  // Side-effect-free forward pass; `rows` is at most kInferChunk.
  virtual void infer(const float* x, float* y, int rows, InferMode mode) const = 0;
  // Folding (inference only): a layer that is a per-feature map y = x·scale + shift in `mode` (BatchNorm)
  // says so here, and a layer that can absorb such a map into its own output (Linear) does it in
  // infer_then_affine, so the pair costs one pass instead of two.
  virtual bool per_feature_affine(InferMode, const float** scale, const float** shift) const {
    (void)scale, (void)shift;
    return false;
  }
  virtual bool infer_then_affine(const float* x, float* y, int rows, const float* scale, const float* shift) const {
    (void)x, (void)y, (void)rows, (void)scale, (void)shift;
    return false;
  }
  // infer, and for a normalization layer also the statistics that normalized the rows (returns true): per-row
  // ones are appended to `stats` (chunk after chunk of rows add up), BatchNorm's (the same for every row) set.
  // y is written exactly as infer writes it.
  virtual bool infer_stats(const float* x, float* y, int rows, InferMode mode, InferStats* stats) const {
    (void)stats;
    infer(x, y, rows, mode);
    return false;
  }
  virtual const NormStats* norm_stats() const { return nullptr; }

 protected:
  int in_, out_;
};

// γ ("weight", init 1) and β ("bias", init 0), one per feature: the affine part every PyTorch norm layer has
// (RMSNorm has no β).
struct Affine {
  int gamma_id = -1, beta_id = -1;
  float *gamma = nullptr, *dgamma = nullptr, *beta = nullptr, *dbeta = nullptr;

  void declare(TensorTable& t, const std::string& prefix, int width, bool with_beta = true) {
    gamma_id = t.add(prefix + "weight", TensorRole::Parameter, {width});
    if (with_beta) beta_id = t.add(prefix + "bias", TensorRole::Parameter, {width});
  }
  void bind(TensorTable& t) {
    gamma = t.value(gamma_id), dgamma = t.grad(gamma_id);
    if (beta_id >= 0) beta = t.value(beta_id), dbeta = t.grad(beta_id);
  }
  void reset(int width) {
    for (int c = 0; c < width; ++c) {
      gamma[c] = 1;
      if (beta) beta[c] = 0;
    }
  }
};

std::unique_ptr<Layer> make_linear(const LayerSpec& spec, int in);
std::unique_ptr<Layer> make_batchnorm(const LayerSpec& spec, int width);
std::unique_ptr<Layer> make_layernorm(const LayerSpec& spec, int width);
std::unique_ptr<Layer> make_rmsnorm(const LayerSpec& spec, int width);
std::unique_ptr<Layer> make_groupnorm(const LayerSpec& spec, int width);
// LayerNorm (groups = 1) and GroupNorm share one layer: per-segment normalization with per-feature γ, β.
std::unique_ptr<Layer> make_segment_norm(LayerKind kind, int groups, double eps, int width);
std::unique_ptr<Layer> make_dropout(const LayerSpec& spec, int width);
std::unique_ptr<Layer> make_activation(const LayerSpec& spec, int width);
std::unique_ptr<Layer> make_residual(const LayerSpec& spec, int width);

// The shared kernel of LayerNorm and GroupNorm (layernorm.cpp): normalizes `segments` consecutive runs of
// `len` values each; the affine parameters are indexed by position within a row of `width` values.
// mean, var and rstd (one per segment) may be null when the caller does not need them.
void normalize_segments_forward(const float* x, float* y, float* mean, float* var, float* rstd, int segments,
                                int len, int width, double eps, const float* gamma, const float* beta);
void normalize_segments_backward(const float* x, const float* dy, float* dx, const float* mean,
                                 const float* rstd, int segments, int len, int width, const float* gamma,
                                 float* dgamma, float* dbeta);

}  // namespace normlab
