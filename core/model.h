// Model: a validated spec made into layers, with the parameter table PyTorch's state_dict would have.
// Built from a seed it holds the exact initial weights `torch.manual_seed(seed); nn.Sequential(...)` gives.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "optim.h"
#include "sequential.h"

namespace normlab {

struct ActivationStats {
  float mean = 0, std = 0;   // over every value of the layer's output on the batch (std: biased)
  float saturated = 0;       // tanh/sigmoid outputs: fraction of units with |y| > 0.95 (tanh) / y ∉ [0.05, 0.95]
};

// One feature of one BatchNorm layer on the last training batch, every intermediate (the lessons' "BatchNorm
// step by step"): its inputs, μ, σ² (biased, normalizes) and the unbiased σ² (goes into running_var), x̂,
// γ x̂ + β (γ, β as the batch used them, before the optimizer's update), and the running statistics before
// and after the update; eval_y is what eval mode would output now for the same inputs (running statistics,
// current γ and β).
struct BatchNormTrace {
  int rows = 0;
  std::vector<float> x, xhat, y, eval_y;
  float mean = 0, var = 0, var_unbiased = 0, rstd = 0, gamma = 1, beta = 0;
  float running_mean_before = 0, running_var_before = 1, running_mean = 0, running_var = 1;
  double eps = 0, momentum = 0;
};

struct GradNorm {
  std::string name;  // the parameter's state_dict name
  double norm;       // ‖∂L/∂θ‖ from the last backward pass
};

// One top-level layer on the last training batch: its output's statistics and, for a normalization layer,
// the statistics it normalized with (null otherwise).
struct LayerDiagnostics {
  int layer;
  LayerKind kind;
  ActivationStats act;
  const NormStats* norm;
};

struct Diagnostics {
  std::vector<LayerDiagnostics> layers;  // empty before the first training batch
  std::vector<GradNorm> grad_norms;      // every parameter, in state_dict order
};

class Model {
 public:
  // Initializes from a fresh generator seeded with `seed` (its draws then continue for dropout).
  static Status create(const ModelSpec& spec, uint64_t seed, std::unique_ptr<Model>* out);
  // From the JSON the JS API speaks (core/spec.h) and a seed checked to be a 32-bit integer.
  static Status create(const std::string& json, double seed, std::unique_ptr<Model>* out);
  // Initializes from `gen`'s current state, as building the nn.Sequential would consume it.
  static Status create(const ModelSpec& spec, TorchGenerator& gen, std::unique_ptr<Model>* out);
  // A deep copy: parameters, buffers, gradients and every layer's caches (the last batch's statistics, dropout
  // masks), drawing from a copy of this model's generator. Nothing done to the copy reaches this model.
  std::unique_ptr<Model> clone() const;

  const ModelSpec& spec() const { return spec_; }
  int input() const { return spec_.input; }
  int classes() const { return spec_.classes; }
  TensorTable& tensors() { return table_; }
  const TensorTable& tensors() const { return table_; }
  Sequential& net() { return net_; }
  // ∂L/∂logits (rows × classes) of the last training batch.
  const float* logit_grads() const { return dlogits_.data(); }

  bool training() const { return training_; }
  void set_training(bool t) { training_ = t; }
  // Dropout draws come from this generator; by default the model's own, seeded at creation.
  TorchGenerator& generator() { return *rng_; }
  void use_generator(TorchGenerator* gen) { rng_ = gen ? gen : &own_rng_; }
  // Training forwards apply each dropout layer's last masks instead of drawing (Context::reuse_masks).
  void reuse_dropout_masks(bool on) { reuse_masks_ = on; }

  // Forward in the current mode: in training mode exactly like PyTorch's (running statistics update,
  // dropout draws); in eval mode side-effect free. Writes rows × classes logits into `logits`.
  Status forward(const float* x, int rows, float* logits);
  // Logits of `rows` rows taken as training batches of `batch` rows (the last may be shorter), each one forward
  // in training mode on its own — BatchNorm normalizes with that batch's statistics — with dropout the identity.
  // Side-effect free: the batches run through a clone (no running statistics, caches or generator touched).
  // Errors as a training forward's (a batch of one row under BatchNorm, the activations limit).
  Status train_mode_logits(const float* x, int rows, int batch, float* out) const;
  // Side-effect-free logits for any number of rows, in chunks (eval: what model.eval() computes).
  void logits(const float* x, int rows, InferMode mode, float* out) const;
  // The same, as class probabilities (softmax): the boundary grid.
  void predict_proba(const float* x, int rows, InferMode mode, float* probs) const;
  // One step: forward, mean cross-entropy, backward, optimizer update. *loss is the loss before the
  // update. A non-finite loss or gradient is reported as an error and the parameters are left untouched.
  Status train_step(const float* x, const int* y, int rows, Optimizer& opt, double* loss, int* correct = nullptr);
  // Whether the last train_step was refused because its loss or a gradient was not finite.
  bool diverged() const { return diverged_; }
  // Forward + backward in the current mode without an update (gradients left in the table).
  Status compute_gradients(const float* x, const int* y, int rows, double* loss, int* correct = nullptr);
  // Mean loss and hits, side-effect free (eval or train-batch statistics).
  void evaluate(const float* x, const int* y, int rows, InferMode mode, double* loss, int* correct) const;

  // Statistics of every layer's output on the last forward batch (top-level layers, in order).
  std::vector<ActivationStats> activation_stats(int rows) const;
  // Top-level layer `layer` must be a BatchNorm that saw a training batch of `rows` rows.
  Status batchnorm_trace(int layer, int feature, int rows, BatchNormTrace* out) const;
  Status check_labels(const int* y, int rows) const;
  // A training batch of `rows` rows keeps rows × spec().activations floats: at most kMaxActivations.
  Status check_batch_rows(int rows) const;
  // How many rows `values` inputs make ("x" must be a whole, non-zero number of rows, whose outputs fit in
  // kMaxValues).
  Status rows_of(size_t values, int* rows) const;
  // A batch: x a whole number of rows, one label y per row, every label a class.
  // Labels arrive from JS as numbers: each must be an integer class (1.5 or 2^32 are errors, not 1 or 0).
  Status check_batch(size_t x_values, const double* y, size_t y_values, int* rows, std::vector<int>* labels) const;
  std::vector<GradNorm> grad_norms() const;
  // The same entry points for `values` inputs (and `labels` labels) as they arrive from JS: checked to be whole
  // rows with one label each; outputs go into `out`, grown to rows × classes.
  Status forward(const float* x, size_t values, std::vector<float>* out);
  Status predict_proba(const float* x, size_t values, InferMode mode, std::vector<float>* out) const;
  Status train_step(const float* x, size_t values, const double* y, size_t labels, Optimizer& opt, double* loss);
  Status compute_gradients(const float* x, size_t values, const double* y, size_t labels, double* loss);
  // Layer statistics and gradient norms for the last training batch of `rows` rows (0: none yet).
  Diagnostics diagnostics(int rows) const;
  // Every top-level layer's own output for `values` inputs (whole rows), side-effect free, in eval mode (running
  // statistics) or train-batch mode (BatchNorm with the last training batch's); see Sequential::layer_outputs.
  // All outputs together are bounded as a training batch's (kMaxActivations), each as any array (kMaxValues).
  Status layer_outputs(const float* x, size_t values, InferMode mode, std::vector<LayerOutput>* out) const;

 private:
  Model() = default;
  Status build(const ModelSpec& spec, TorchGenerator& gen);

  ModelSpec spec_;
  TensorTable table_;
  Sequential net_;
  bool training_ = true;
  TorchGenerator own_rng_;
  TorchGenerator* rng_ = &own_rng_;
  bool reuse_masks_ = false;
  std::vector<float> dlogits_;                 // (rows × classes)
  std::vector<int> labels_;                    // (rows): labels read from JS numbers
  bool diverged_ = false;
};

}  // namespace normlab
