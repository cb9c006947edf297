// Lab: several runs trained side by side, in lockstep, on the same data and the same shuffled batches.
// It is the PyTorch script
//     torch.manual_seed(seed)
//     for each run: torch.manual_seed(seed); model_i = nn.Sequential(...)      (init "shared")
//                   (or: models built one after another from one stream,       init "sequential")
//     loader = DataLoader(TensorDataset(X_train, y_train), batch_size=B, shuffle=True)
//              (or sampler=S, another batch composition: core/sampler.h)
//     for epoch: for xb, yb in loader: for each run: zero_grad; loss = CE(model(xb), yb); backward; step
// reproduced draw for draw: the same initial weights, batch order and dropout masks as PyTorch.
// Runs with the same seed therefore start from the same linear weights whatever normalization they add.
#pragma once
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "data.h"
#include "landscape.h"
#include "model.h"
#include "sampler.h"
#include "weights.h"

namespace normlab {

enum class InitMode { Shared, Sequential };
Status parse_init_mode(const std::string& name, InitMode* out);  // "shared" or "sequential"

struct Run {
  ModelSpec model_spec;
  OptimizerSpec optimizer_spec;
  std::unique_ptr<Model> model;
  std::unique_ptr<Optimizer> optimizer;
  // Last step (NaN before the first).
  double last_loss() const { return rows ? loss : std::numeric_limits<double>::quiet_NaN(); }
  double last_accuracy() const { return rows ? static_cast<double>(correct) / rows : std::numeric_limits<double>::quiet_NaN(); }
  double loss = 0;
  int correct = 0, rows = 0;
  double step_seconds = 0;  // wall time of its last training step
  // Current epoch so far (the lesson's "mean loss per epoch" is the mean of batch losses).
  double epoch_loss_sum = 0;
  int epoch_batches = 0, epoch_correct = 0, epoch_rows = 0;
  // A run that diverged or failed stops; the message says why. The others continue.
  bool stopped = false;
  bool diverged = false;  // stopped because its loss or a gradient was not finite
  std::string error;
};

struct EpochSummary {
  long long epoch = 0;
  std::vector<double> mean_loss;      // per run, the mean of the epoch's batch losses (NaN if stopped)
  std::vector<double> train_accuracy; // per run, hits / rows over the epoch's batches
};

class Lab {
 public:
  Lab();
  Status set_data(const DataSpec& spec);  // regenerates the data and resets the runs
  Status set_batch_size(int batch);
  void set_init_mode(InitMode mode) { init_mode_ = mode; }
  // "shared" or "sequential" (see the top of this file); rebuilds the runs from the current seed.
  Status set_init_mode(const std::string& mode);
  // How batches are drawn (core/sampler.h): "shuffle" (the default, DataLoader(shuffle=True)), "balanced",
  // "sorted" or "duplicates". Restarts the runs from the current seed, as a new batch size does; an unknown name
  // changes nothing.
  Status set_sampler(const std::string& name);
  Status set_sampler(SamplerKind kind);
  SamplerKind sampler() const { return sampler_; }
  Status add_run(const ModelSpec& model, const OptimizerSpec& opt, int* index);
  Status replace_run(int index, const ModelSpec& model, const OptimizerSpec& opt);
  // The same from the JSON the JS API speaks (core/spec.h).
  Status set_data(const std::string& data_json);
  Status add_run(const std::string& model_json, const std::string& optimizer_json, int* index);
  Status replace_run(int index, const std::string& model_json, const std::string& optimizer_json);
  Status remove_run(int index);
  // New initial weights from `seed`, optimizers and counters cleared, loader restarted.
  Status reset(uint32_t seed);

  // One batch for every running run. Returns true when the batch ended an epoch (then *summary is set).
  bool step(EpochSummary* summary);
  // Up to `count` batches (at least one), stopping early at the end of an epoch; returns how many were taken.
  // epoch_ended() and last_summary() then tell whether the last one ended an epoch, and its summary.
  int step(int count);
  bool epoch_ended() const { return epoch_ended_; }
  const EpochSummary& last_summary() const { return summary_; }

  int run_count() const { return static_cast<int>(runs_.size()); }
  Run& run(int i) { return runs_[i]; }
  const Dataset& train() const { return train_; }
  const Dataset& test() const { return test_; }
  const DataSpec& data_spec() const { return data_spec_; }
  int batch_size() const { return batch_; }
  uint32_t seed() const { return seed_; }
  long long steps_done() const { return step_; }
  long long epoch() const { return epoch_; }            // completed epochs
  int steps_per_epoch() const { return (train_.rows + batch_ - 1) / batch_; }
  int step_in_epoch() const { return batch_index_; }    // batches done in the current epoch
  const std::vector<int>& last_batch() const { return last_batch_; }
  // `count` epochs' orders of the training rows (count × rows indices, epoch after epoch), as this lab's sampler
  // draws them after torch.manual_seed(seed): each epoch the DataLoader's base seed, the sampler's seed, the
  // sampler. Side-effect free (a generator of its own). count in [1, kMaxSampleEpochs], count × rows ≤ kMaxValues.
  Status sample_epochs(int count, double seed, std::vector<int>* out) const;

  // Class probabilities over a w × h grid: point (i, j) is (x0 + i (x1 − x0)/(w − 1), y1 − j (y1 − y0)/(h − 1)),
  // row j = 0 at the top. Writes w·h·classes values to `out`. No allocation once a grid size has been used.
  Status grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, float* out);
  // The same into `out`, which is grown to w·h·classes values.
  Status grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, std::vector<float>* out);
  // Eval-mode logits of run `index` for `values` inputs (whole rows), into `out` (grown to fit).
  Status logits(int index, const float* x, size_t values, std::vector<float>* out) const;
  // Every top-level layer's output (and each normalization's statistics) of run `index` for `values` inputs,
  // side-effect free: Model::layer_outputs.
  Status layer_outputs(int index, const float* x, size_t values, InferMode mode, std::vector<LayerOutput>* out) const;
  // Logits of run `index` for `values` inputs (whole rows) taken as training batches of `batch` rows (the last
  // may be shorter; batch 0: all rows are one batch), each in training mode on its own: BatchNorm normalizes
  // with that batch's mean and biased variance. Dropout is the identity. Side-effect free (Model::
  // train_mode_logits: nothing is updated, no generator drawn from). A batch of one row is BatchNorm's error,
  // as in PyTorch.
  Status train_mode_logits(int index, const float* x, size_t values, int batch, std::vector<float>* out) const;
  // BatchNorm step by step: one feature of top-level BatchNorm layer `layer` of a run that has not stopped.
  Status batchnorm_trace(int index, int layer, int feature, BatchNormTrace* out) const;
  // Layer statistics and gradient norms of run `index` on its last batch.
  Diagnostics diagnostics(int index) const { return runs_[index].model->diagnostics(runs_[index].rows); }
  Status check_index(int index) const;  // "run: no run 5"
  // Loss and accuracy over the train or test set, side-effect free. A non-finite loss (non-finite logits)
  // gives a NaN accuracy: the run has diverged, and no accuracy is plausible.
  void evaluate(int index, bool test_set, InferMode mode, double* loss, double* accuracy) const;
  Status evaluate_run(int index, bool test_set, InferMode mode, double* loss, double* accuracy) const;  // checks `index`

  // Why normalization helps (lab_analysis.cpp). Linear layers are named by state_dict prefix (core/weights.h).
  // Linear layer `layer` of run `index`: weight and bias × alpha, exactly PyTorch's
  //     with torch.no_grad(): lin.weight.mul_(alpha); lin.bias.mul_(alpha)
  // so the optimizer's state (momentum buffers, Adam's moments) stays as it is. Followed by a BatchNorm in
  // training mode the layer's output is normalized to what it was, up to ε: BN(αx) = (x − μ)/√(σ² + ε/α²), so
  // for alpha > 0 the next step's loss is the same but for ε's share (alpha ≥ 1: at most the unscaled run's own
  // ε/(2σ²); alpha ≪ 1 lets ε/α² dominate). Eval mode and train-batch views are not invariant: their statistics
  // (running, or the last batch's) are the old scale's until training updates them.
  // An error (bad run, layer or alpha) changes nothing.
  Status scale_weights(int index, const std::string& layer, double alpha);
  // ‖W‖ and lr/‖W‖² for every linear layer of run `index` (lr: its optimizer's learning rate).
  Status weight_norms(int index, std::vector<WeightNorm>* out) const;
  // The loss landscape along the gradient (core/landscape.h) on the batch run `index` last trained on (with its
  // dropout masks), at its current parameters. Side-effect free. The run must have taken a step and not stopped.
  Status smoothness(int index, const SmoothnessOptions& options, Smoothness* out) const;

 private:
  Status check_run(const ModelSpec& model) const;
  // A grid's run, size (w·h·classes ≤ kMaxValues, in *outputs) and rectangle; fill_grid then computes it.
  Status check_grid(int index, int w, int h, double x0, double x1, double y0, double y1, size_t* outputs) const;
  void fill_grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, float* out);
  void start_epoch();
  Status build_model(const ModelSpec& spec, std::unique_ptr<Model>* out);

  DataSpec data_spec_;
  Dataset train_, test_;
  int batch_ = 64;
  uint32_t seed_ = 0;
  InitMode init_mode_ = InitMode::Shared;
  SamplerKind sampler_ = SamplerKind::Shuffle;
  SamplerScratch sampler_scratch_;
  TorchGenerator gen_;  // PyTorch's global generator
  std::vector<Run> runs_;
  std::vector<int> perm_;
  long long step_ = 0, epoch_ = 0;
  int batch_index_ = 0;
  bool epoch_started_ = false;
  std::vector<int> last_batch_;
  bool epoch_ended_ = false;
  EpochSummary summary_;
  std::vector<float> bx_;
  std::vector<int> by_;
  std::vector<float> grid_points_;
};

}  // namespace normlab
