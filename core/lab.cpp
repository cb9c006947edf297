#include "lab.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace normlab {

Status parse_init_mode(const std::string& name, InitMode* out) {
  if (name == "shared") *out = InitMode::Shared;
  else if (name == "sequential") *out = InitMode::Sequential;
  else return Status::Error("init", "expected \"shared\" or \"sequential\"");
  return Status::Ok();
}

Status Lab::set_init_mode(const std::string& mode) {
  InitMode m;
  Status s = parse_init_mode(mode, &m);
  if (!s.ok()) return s;
  init_mode_ = m;
  return reset(seed_);
}

Status Lab::set_sampler(const std::string& name) {
  SamplerKind kind;
  Status s = parse_sampler(name, &kind);
  return s.ok() ? set_sampler(kind) : s;
}

Status Lab::set_sampler(SamplerKind kind) {
  sampler_ = kind;
  return reset(seed_);
}

Status Lab::set_data(const std::string& data_json) {
  DataSpec spec;
  Status s = parse_data_spec(data_json, &spec);
  return s.ok() ? set_data(spec) : s;
}

namespace {
Status parse_run(const std::string& model_json, const std::string& optimizer_json, ModelSpec* m, OptimizerSpec* o) {
  Status s = parse_model_spec(model_json, m);
  return s.ok() ? parse_optimizer_spec(optimizer_json, o) : s;
}
}  // namespace

Status Lab::add_run(const std::string& model_json, const std::string& optimizer_json, int* index) {
  ModelSpec m;
  OptimizerSpec o;
  Status s = parse_run(model_json, optimizer_json, &m, &o);
  return s.ok() ? add_run(m, o, index) : s;
}

Status Lab::replace_run(int index, const std::string& model_json, const std::string& optimizer_json) {
  ModelSpec m;
  OptimizerSpec o;
  Status s = parse_run(model_json, optimizer_json, &m, &o);
  return s.ok() ? replace_run(index, m, o) : s;
}

Status Lab::check_index(int index) const {
  return index >= 0 && index < run_count() ? Status::Ok() : Status::Error("run", "no run " + std::to_string(index));
}

Lab::Lab() {
  Status s = set_data(data_spec_);
  (void)s;
}

Status Lab::set_data(const DataSpec& spec) {
  if (spec.kind == DatasetKind::Points && (spec.y.size() != static_cast<size_t>(spec.points) || spec.x.size() != 2 * spec.y.size()))
    return Status::Error("x", "a points dataset needs 2 coordinates (x) and 1 label (y) for each of its " + std::to_string(spec.points) + " points");
  Dataset all = make_dataset(spec);
  Dataset train, test;
  split_dataset(all, spec.test_fraction, &train, &test);
  if (train.rows < 2) return Status::Error("test_fraction", "leaves " + std::to_string(train.rows) + " training points; at least 2 are needed");
  data_spec_ = spec;
  train_ = std::move(train);
  test_ = std::move(test);
  return reset(seed_);
}

Status Lab::set_batch_size(int batch) {
  if (batch < 1 || batch > kMaxBatch)
    return Status::Error("batch_size", "must be an integer in [1, " + std::to_string(kMaxBatch) + "], got " + std::to_string(batch));
  batch_ = batch;
  return reset(seed_);
}

Status Lab::check_run(const ModelSpec& model) const {
  if (model.input != train_.features)
    return Status::Error("input", "the data has " + std::to_string(train_.features) + " features, the model expects " +
                         std::to_string(model.input));
  if (model.classes != train_.classes)
    return Status::Error("layers", "the data has " + std::to_string(train_.classes) + " classes, the model's last linear layer has out = " +
                         std::to_string(model.classes));
  return Status::Ok();
}

Status Lab::build_model(const ModelSpec& spec, std::unique_ptr<Model>* out) {
  if (init_mode_ == InitMode::Shared) gen_.manual_seed(seed_);
  Status s = Model::create(spec, gen_, out);
  if (s.ok()) (*out)->use_generator(&gen_);
  return s;
}

Status Lab::add_run(const ModelSpec& model, const OptimizerSpec& opt, int* index) {
  ModelSpec m = model;
  Status s = validate_model_spec(&m);
  if (!s.ok()) return s;
  s = check_run(m);
  if (!s.ok()) return s;
  if (run_count() >= kMaxRuns) return Status::Error("runs", "a lab holds at most " + std::to_string(kMaxRuns) + " runs");
  Run r;
  r.model_spec = m;
  r.optimizer_spec = opt;
  runs_.push_back(std::move(r));
  *index = static_cast<int>(runs_.size()) - 1;
  return reset(seed_);
}

Status Lab::replace_run(int index, const ModelSpec& model, const OptimizerSpec& opt) {
  Status s = check_index(index);
  if (!s.ok()) return s;
  ModelSpec m = model;
  s = validate_model_spec(&m);
  if (!s.ok()) return s;
  s = check_run(m);
  if (!s.ok()) return s;
  runs_[index].model_spec = m;
  runs_[index].optimizer_spec = opt;
  return reset(seed_);
}

Status Lab::remove_run(int index) {
  Status s = check_index(index);
  if (!s.ok()) return s;
  runs_.erase(runs_.begin() + index);
  return reset(seed_);
}

Status Lab::reset(uint32_t seed) {
  seed_ = seed;
  gen_.manual_seed(seed);
  for (auto& r : runs_) {
    Status s = build_model(r.model_spec, &r.model);
    if (!s.ok()) return s;
    r.optimizer = std::make_unique<Optimizer>(r.optimizer_spec, r.model->tensors().params().size());
    r.loss = 0, r.correct = 0, r.rows = 0;
    r.epoch_loss_sum = 0, r.epoch_batches = 0, r.epoch_correct = 0, r.epoch_rows = 0;
    r.stopped = false;
    r.diverged = false;
    r.error.clear();
  }
  step_ = 0, epoch_ = 0, batch_index_ = 0;
  epoch_started_ = false;
  last_batch_.clear();
  return Status::Ok();
}

// Entering `for xb, yb in loader`: the DataLoader iterator draws its base seed, then the sampler draws the seed
// of its own generator, from which it orders the epoch (core/sampler.h; shuffle: torch.randperm(n)).
void Lab::start_epoch() {
  draw_epoch(sampler_, gen_, train_.y, train_.classes, &perm_, &sampler_scratch_);
  batch_index_ = 0;
  epoch_started_ = true;
}

Status Lab::sample_epochs(int count, double seed, std::vector<int>* out) const {
  Status s = check_seed(seed);
  if (!s.ok()) return s;
  if (count < 1 || count > kMaxSampleEpochs)
    return Status::Error("count", "must be an integer in [1, " + std::to_string(kMaxSampleEpochs) + "], got " + std::to_string(count));
  const size_t n = static_cast<size_t>(train_.rows);
  if (n * count > static_cast<size_t>(kMaxValues))
    return Status::Error("count", std::to_string(count) + " epochs of " + std::to_string(n) + " rows are " + std::to_string(n * count) +
                                      " indices, more than the limit of " + std::to_string(kMaxValues));
  TorchGenerator gen(static_cast<uint64_t>(seed));
  SamplerScratch scratch;
  std::vector<int> order;
  out->resize(n * count);
  for (int e = 0; e < count; ++e) {
    draw_epoch(sampler_, gen, train_.y, train_.classes, &order, &scratch);
    std::copy(order.begin(), order.end(), out->begin() + static_cast<std::ptrdiff_t>(n * e));
  }
  return Status::Ok();
}

bool Lab::step(EpochSummary* summary) {
  if (!epoch_started_) start_epoch();
  const int n = train_.rows, f = train_.features;
  const int begin = batch_index_ * batch_;
  const int rows = std::min(batch_, n - begin);
  last_batch_.assign(perm_.begin() + begin, perm_.begin() + begin + rows);
  bx_.resize(static_cast<size_t>(rows) * f);
  by_.resize(rows);
  for (int r = 0; r < rows; ++r) {
    const int i = last_batch_[r];
    for (int k = 0; k < f; ++k) bx_[static_cast<size_t>(r) * f + k] = train_.x[static_cast<size_t>(i) * f + k];
    by_[r] = train_.y[i];
  }
  for (auto& run : runs_) {
    if (run.stopped) continue;
    double loss = 0;
    int correct = 0;
    const auto t0 = std::chrono::steady_clock::now();
    Status s = run.model->train_step(bx_.data(), by_.data(), rows, *run.optimizer, &loss, &correct);
    run.step_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!s.ok()) {
      run.stopped = true;
      run.diverged = run.model->diverged();
      run.error = s.message();
      continue;
    }
    run.loss = loss, run.correct = correct, run.rows = rows;
    run.epoch_loss_sum += loss, run.epoch_batches++, run.epoch_correct += correct, run.epoch_rows += rows;
  }
  ++step_;
  ++batch_index_;
  if (batch_index_ * batch_ < n) return false;
  // The epoch is over.
  ++epoch_;
  epoch_started_ = false;
  if (summary) {
    summary->epoch = epoch_;
    summary->mean_loss.clear();
    summary->train_accuracy.clear();
    for (const auto& run : runs_) {
      const bool ok = !run.stopped && run.epoch_batches > 0;
      summary->mean_loss.push_back(ok ? run.epoch_loss_sum / run.epoch_batches : std::numeric_limits<double>::quiet_NaN());
      summary->train_accuracy.push_back(ok ? static_cast<double>(run.epoch_correct) / run.epoch_rows : std::numeric_limits<double>::quiet_NaN());
    }
  }
  for (auto& run : runs_) run.epoch_loss_sum = 0, run.epoch_batches = 0, run.epoch_correct = 0, run.epoch_rows = 0;
  return true;
}

Status Lab::check_grid(int index, int w, int h, double x0, double x1, double y0, double y1, size_t* outputs) const {
  Status s = check_index(index);
  if (!s.ok()) return s;
  if (w < kMinGrid || h < kMinGrid || w > kMaxGrid || h > kMaxGrid)
    return Status::Error("grid", "width and height must be in [" + std::to_string(kMinGrid) + ", " + std::to_string(kMaxGrid) + "]");
  *outputs = static_cast<size_t>(w) * h * runs_[index].model->classes();
  if (*outputs > static_cast<size_t>(kMaxValues))
    return Status::Error("grid", std::to_string(w) + " × " + std::to_string(h) + " points give " + std::to_string(*outputs) +
                                     " probabilities, more than the limit of " + std::to_string(kMaxValues));
  if (!(x1 > x0) || !(y1 > y0) || !std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(y0) || !std::isfinite(y1))
    return Status::Error("grid", "the rectangle must have x1 > x0 and y1 > y0, all finite");
  return Status::Ok();
}

Status Lab::grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, float* out) {
  size_t outputs = 0;
  Status s = check_grid(index, w, h, x0, x1, y0, y1, &outputs);
  if (s.ok()) fill_grid(index, w, h, x0, x1, y0, y1, mode, out);
  return s;
}

Status Lab::grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, std::vector<float>* out) {
  size_t outputs = 0;
  Status s = check_grid(index, w, h, x0, x1, y0, y1, &outputs);
  if (!s.ok()) return s;
  out->resize(outputs);
  fill_grid(index, w, h, x0, x1, y0, y1, mode, out->data());
  return Status::Ok();
}

void Lab::fill_grid(int index, int w, int h, double x0, double x1, double y0, double y1, InferMode mode, float* out) {
  const size_t n = static_cast<size_t>(w) * h;
  if (grid_points_.size() < 2 * n) grid_points_.resize(2 * n);
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i) {
      grid_points_[2 * (static_cast<size_t>(j) * w + i)] = static_cast<float>(x0 + i * (x1 - x0) / (w - 1));
      grid_points_[2 * (static_cast<size_t>(j) * w + i) + 1] = static_cast<float>(y1 - j * (y1 - y0) / (h - 1));
    }
  runs_[index].model->predict_proba(grid_points_.data(), static_cast<int>(n), mode, out);
}

Status Lab::logits(int index, const float* x, size_t values, std::vector<float>* out) const {
  Status s = check_index(index);
  int rows = 0;
  if (!s.ok() || !(s = runs_[index].model->rows_of(values, &rows)).ok()) return s;
  const Model& m = *runs_[index].model;
  out->resize(static_cast<size_t>(rows) * m.classes());
  m.logits(x, rows, InferMode::Eval, out->data());
  return Status::Ok();
}

Status Lab::layer_outputs(int index, const float* x, size_t values, InferMode mode, std::vector<LayerOutput>* out) const {
  Status s = check_index(index);
  return s.ok() ? runs_[index].model->layer_outputs(x, values, mode, out) : s;
}

Status Lab::train_mode_logits(int index, const float* x, size_t values, int batch, std::vector<float>* out) const {
  Status s = check_index(index);
  int rows = 0;
  if (!s.ok() || !(s = runs_[index].model->rows_of(values, &rows)).ok()) return s;
  if (batch < 0 || batch > kMaxBatch)
    return Status::Error("batch", "must be an integer in [0, " + std::to_string(kMaxBatch) + "] (0: every row in one batch), got " +
                                      std::to_string(batch));
  if (batch == 0 && rows > kMaxBatch)
    return Status::Error("batch", "x has " + std::to_string(rows) + " rows; one training batch holds at most " + std::to_string(kMaxBatch) +
                                      " (give a batch size)");
  const Model& m = *runs_[index].model;
  out->resize(static_cast<size_t>(rows) * m.classes());
  return m.train_mode_logits(x, rows, batch == 0 ? rows : batch, out->data());
}

Status Lab::batchnorm_trace(int index, int layer, int feature, BatchNormTrace* out) const {
  Status s = check_index(index);
  if (!s.ok()) return s;
  const Run& r = runs_[index];
  // A stopped run's buffers may hold a batch it never finished (and rows of an older one): no trace.
  if (r.stopped) return Status::Error("run", "run " + std::to_string(index + 1) + " has stopped (" + r.error + ")");
  return r.model->batchnorm_trace(layer, feature, r.rows, out);
}

int Lab::step(int count) {
  int done = 0;
  epoch_ended_ = false;
  while (done < (count < 1 ? 1 : count)) {
    ++done;
    if (step(&summary_)) {
      epoch_ended_ = true;
      break;
    }
  }
  return done;
}

Status Lab::evaluate_run(int index, bool test_set, InferMode mode, double* loss, double* accuracy) const {
  Status s = check_index(index);
  if (s.ok()) evaluate(index, test_set, mode, loss, accuracy);
  return s;
}

void Lab::evaluate(int index, bool test_set, InferMode mode, double* loss, double* accuracy) const {
  const Dataset& d = test_set ? test_ : train_;
  if (d.rows == 0) {
    *loss = std::numeric_limits<double>::quiet_NaN();
    *accuracy = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  int correct = 0;
  runs_[index].model->evaluate(d.x.data(), d.y.data(), d.rows, mode, loss, &correct);
  // A non-finite loss means non-finite logits (a diverged run, an imported running_var < 0): their argmax
  // would give a plausible-looking accuracy (≈ the share of class 0), so the accuracy is NaN too.
  *accuracy = std::isfinite(*loss) ? static_cast<double>(correct) / d.rows : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace normlab
