#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "loss.h"
#include "util/simd.h"
#include "weights.h"

namespace normlab {

Status Model::create(const ModelSpec& spec, uint64_t seed, std::unique_ptr<Model>* out) {
  std::unique_ptr<Model> m(new Model());
  m->own_rng_.manual_seed(seed);
  Status s = m->build(spec, m->own_rng_);
  if (s.ok()) *out = std::move(m);
  return s;
}

Status Model::create(const std::string& json, double seed, std::unique_ptr<Model>* out) {
  ModelSpec spec;
  Status s = parse_model_spec(json, &spec);
  if (s.ok()) s = check_seed(seed);
  return s.ok() ? create(spec, static_cast<uint64_t>(seed), out) : s;
}

Status Model::create(const ModelSpec& spec, TorchGenerator& gen, std::unique_ptr<Model>* out) {
  std::unique_ptr<Model> m(new Model());
  Status s = m->build(spec, gen);
  if (s.ok()) *out = std::move(m);
  return s;
}

Status Model::build(const ModelSpec& spec, TorchGenerator& gen) {
  spec_ = spec;
  Status s = validate_model_spec(&spec_);
  if (!s.ok()) return s;
  net_.build(spec_.layers, spec_.input);
  net_.declare(table_, "");
  table_.allocate();
  net_.bind(table_);
  net_.reset_parameters(gen);
  if (spec_.init_scale != 1)  // after every draw: the same draws as PyTorch's default init
    for (const std::string& name : linear_layer_names(spec_.layers)) multiply_linear(table_, name, static_cast<float>(spec_.init_scale));
  return Status::Ok();
}

std::unique_ptr<Model> Model::clone() const {
  std::unique_ptr<Model> m(new Model());
  m->spec_ = spec_;
  m->table_ = table_;
  m->net_.copy_from(net_);
  m->net_.bind(m->table_);
  m->training_ = training_;
  m->own_rng_ = *rng_;
  m->reuse_masks_ = reuse_masks_;
  return m;
}

Status Model::check_labels(const int* y, int rows) const {
  for (int n = 0; n < rows; ++n)
    if (y[n] < 0 || y[n] >= spec_.classes)
      return Status::Error("y[" + std::to_string(n) + "]", "label " + std::to_string(y[n]) + " is out of range for " +
                           std::to_string(spec_.classes) + " classes");
  return Status::Ok();
}

Status Model::rows_of(size_t values, int* rows) const {
  if (values == 0 || values % static_cast<size_t>(spec_.input) != 0)
    return Status::Error("x", std::to_string(values) + " values is not a whole number of rows of " + std::to_string(spec_.input) +
                              " inputs");
  const size_t n = values / spec_.input;
  if (n * spec_.classes > static_cast<size_t>(kMaxValues))
    return Status::Error("x", std::to_string(n) + " rows give " + std::to_string(n * spec_.classes) +
                              " outputs, more than the limit of " + std::to_string(kMaxValues));
  *rows = static_cast<int>(n);
  return Status::Ok();
}

Status Model::check_batch_rows(int rows) const {
  const long long kept = static_cast<long long>(rows) * spec_.activations;
  if (kept > kMaxActivations)
    return Status::Error("x", "a training batch of " + std::to_string(rows) + " rows keeps " + std::to_string(kept) +
                              " activations, more than the limit of " + std::to_string(kMaxActivations));
  return Status::Ok();
}

Status Model::check_batch(size_t x_values, const double* y, size_t y_values, int* rows, std::vector<int>* labels) const {
  Status s = rows_of(x_values, rows);
  if (!s.ok()) return s;
  if (y_values != static_cast<size_t>(*rows))
    return Status::Error("y", std::to_string(y_values) + " labels for " + std::to_string(*rows) + " rows of x");
  labels->resize(*rows);
  for (int n = 0; n < *rows; ++n) {
    const bool integer = y[n] == std::floor(y[n]);
    if (!integer || !(y[n] >= 0 && y[n] < spec_.classes))  // the message is built only for a bad label
      return Status::Error("y[" + std::to_string(n) + "]",
                           "label " + fmt(y[n]) +
                               (integer ? " is out of range for " + std::to_string(spec_.classes) + " classes" : " is not an integer"));
    (*labels)[n] = static_cast<int>(y[n]);
  }
  return Status::Ok();
}

Status Model::forward(const float* x, size_t values, std::vector<float>* out) {
  int rows = 0;
  Status s = rows_of(values, &rows);
  if (!s.ok()) return s;
  out->resize(static_cast<size_t>(rows) * spec_.classes);
  return forward(x, rows, out->data());
}

Status Model::predict_proba(const float* x, size_t values, InferMode mode, std::vector<float>* out) const {
  int rows = 0;
  Status s = rows_of(values, &rows);
  if (!s.ok()) return s;
  out->resize(static_cast<size_t>(rows) * spec_.classes);
  predict_proba(x, rows, mode, out->data());
  return Status::Ok();
}

Status Model::train_step(const float* x, size_t values, const double* y, size_t labels, Optimizer& opt, double* loss) {
  int rows = 0;
  Status s = check_batch(values, y, labels, &rows, &labels_);
  return s.ok() ? train_step(x, labels_.data(), rows, opt, loss) : s;
}

Status Model::compute_gradients(const float* x, size_t values, const double* y, size_t labels, double* loss) {
  int rows = 0;
  Status s = check_batch(values, y, labels, &rows, &labels_);
  return s.ok() ? compute_gradients(x, labels_.data(), rows, loss) : s;
}

std::vector<GradNorm> Model::grad_norms() const {
  std::vector<GradNorm> out;
  for (size_t id = 0; id < table_.entries().size(); ++id) {
    const TensorEntry& e = table_.entries()[id];
    if (e.role != TensorRole::Parameter) continue;
    const float* g = table_.grads().data() + e.offset;
    double ss = 0;
    for (size_t k = 0; k < e.size; ++k) ss += static_cast<double>(g[k]) * g[k];
    out.push_back({e.name, std::sqrt(ss)});
  }
  return out;
}

Diagnostics Model::diagnostics(int rows) const {
  Diagnostics d;
  if (rows > 0) {
    const std::vector<ActivationStats> stats = activation_stats(rows);
    for (size_t i = 0; i < stats.size(); ++i)
      d.layers.push_back({static_cast<int>(i), net_.layer(i).kind(), stats[i], net_.layer(i).norm_stats()});
  }
  d.grad_norms = grad_norms();
  return d;
}

Status Model::layer_outputs(const float* x, size_t values, InferMode mode, std::vector<LayerOutput>* out) const {
  int rows = 0;
  Status s = rows_of(values, &rows);
  if (!s.ok()) return s;
  long long total = 0;
  for (size_t i = 0; i < net_.size(); ++i) {
    const long long n = static_cast<long long>(rows) * net_.layer(i).out_features();
    total += n;
    if (n > kMaxValues)
      return Status::Error("x", std::to_string(rows) + " rows give " + std::to_string(n) + " outputs of layer " + std::to_string(i) +
                                ", more than the limit of " + std::to_string(kMaxValues));
  }
  if (total > kMaxActivations)
    return Status::Error("x", std::to_string(rows) + " rows give " + std::to_string(total) + " layer outputs, more than the limit of " +
                              std::to_string(kMaxActivations));
  net_.layer_outputs(x, rows, mode, out);
  return Status::Ok();
}

void Model::logits(const float* x, int rows, InferMode mode, float* out) const {
  for (int r0 = 0; r0 < rows; r0 += kInferChunk) {
    const int n = rows - r0 < kInferChunk ? rows - r0 : kInferChunk;
    const float* y = net_.infer(x + static_cast<size_t>(r0) * spec_.input, n, mode);
    std::memcpy(out + static_cast<size_t>(r0) * spec_.classes, y, sizeof(float) * n * spec_.classes);
  }
}

Status Model::forward(const float* x, int rows, float* logits) {
  if (!training_) {
    this->logits(x, rows, InferMode::Eval, logits);
    return Status::Ok();
  }
  Status s = check_batch_rows(rows);
  if (!s.ok()) return s;
  Context ctx{true, rng_, reuse_masks_};
  s = net_.forward(x, rows, ctx);
  if (!s.ok()) return s;
  std::memcpy(logits, net_.output(), sizeof(float) * static_cast<size_t>(rows) * spec_.classes);
  return Status::Ok();
}

Status Model::train_mode_logits(const float* x, int rows, int batch, float* out) const {
  Status s = check_batch_rows(std::min(batch, rows));
  if (!s.ok()) return s;
  std::unique_ptr<Model> copy = clone();
  Context ctx{true, &copy->own_rng_, false, false};
  for (int r0 = 0; r0 < rows; r0 += batch) {
    const int n = std::min(batch, rows - r0);
    s = copy->net_.forward(x + static_cast<size_t>(r0) * spec_.input, n, ctx);
    if (!s.ok()) return s;
    std::memcpy(out + static_cast<size_t>(r0) * spec_.classes, copy->net_.output(), sizeof(float) * n * spec_.classes);
  }
  return Status::Ok();
}

void Model::predict_proba(const float* x, int rows, InferMode mode, float* probs) const {
  logits(x, rows, mode, probs);
  softmax_rows(probs, rows, spec_.classes);
}

void Model::evaluate(const float* x, const int* y, int rows, InferMode mode, double* loss, int* correct) const {
  const int C = spec_.classes;
  double total = 0;
  int hits = 0;
  for (int r0 = 0; r0 < rows; r0 += kInferChunk) {
    const int n = rows - r0 < kInferChunk ? rows - r0 : kInferChunk;
    const float* out = net_.infer(x + static_cast<size_t>(r0) * spec_.input, n, mode);
    int h = 0;
    total += cross_entropy(out, y + r0, n, C, nullptr, &h) * n;
    hits += h;
  }
  *loss = rows ? total / rows : 0.0;
  *correct = hits;
}

Status Model::compute_gradients(const float* x, const int* y, int rows, double* loss, int* correct) {
  Status s = check_labels(y, rows);
  if (s.ok()) s = check_batch_rows(rows);
  if (!s.ok()) return s;
  Context ctx{training_, rng_, reuse_masks_};
  s = net_.forward(x, rows, ctx);
  if (!s.ok()) return s;
  const size_t n = static_cast<size_t>(rows) * spec_.classes;
  if (dlogits_.size() < n) dlogits_.resize(n);
  *loss = cross_entropy(net_.output(), y, rows, spec_.classes, dlogits_.data(), correct);
  std::fill(table_.grads().begin(), table_.grads().end(), 0.0f);
  net_.backward(dlogits_.data(), nullptr, rows);
  return Status::Ok();
}

Status Model::train_step(const float* x, const int* y, int rows, Optimizer& opt, double* loss, int* correct) {
  if (opt.size() != table_.params().size())
    return Status::Error("optimizer", "it was made for a model with " + std::to_string(opt.size()) +
                         " parameters, this one has " + std::to_string(table_.params().size()));
  diverged_ = false;
  Status s = compute_gradients(x, y, rows, loss, correct);
  if (!s.ok()) return s;
  diverged_ = !std::isfinite(*loss);
  if (diverged_) return Status::Error("diverged: the loss is " + std::string(std::isnan(*loss) ? "NaN" : "infinite") + "; parameters were not updated");
  // x·0 is 0 for finite x and NaN for NaN or ±inf: four lanes of it find a non-finite gradient.
  const std::vector<float>& g = table_.grads();
  f32x4 probe = {};
  size_t k = 0;
  for (; k + 4 <= g.size(); k += 4) probe += load4(g.data() + k) * splat4(0.0f);
  float tail = 0;
  for (; k < g.size(); ++k) tail += g[k] * 0.0f;
  diverged_ = !std::isfinite(probe[0] + probe[1] + probe[2] + probe[3] + tail);
  if (diverged_) return Status::Error("diverged: a gradient is not finite; parameters were not updated");
  opt.step(table_.params().data(), table_.grads().data());
  return Status::Ok();
}

std::vector<ActivationStats> Model::activation_stats(int rows) const {
  std::vector<ActivationStats> out(net_.size());
  for (size_t i = 0; i < net_.size(); ++i) {
    const int w = net_.layer(i).out_features();
    const size_t n = static_cast<size_t>(rows) * w;
    const float* y = net_.output_of(i);
    double sum = 0, sq = 0;
    size_t sat = 0;
    const LayerKind k = net_.layer(i).kind();
    for (size_t j = 0; j < n; ++j) {
      sum += y[j];
      sq += static_cast<double>(y[j]) * y[j];
      if (k == LayerKind::Tanh) sat += std::fabs(y[j]) > 0.95f;
      if (k == LayerKind::Sigmoid) sat += y[j] < 0.05f || y[j] > 0.95f;
    }
    const double mean = n ? sum / n : 0;
    out[i].mean = static_cast<float>(mean);
    out[i].std = static_cast<float>(std::sqrt(std::max(0.0, n ? sq / n - mean * mean : 0)));
    out[i].saturated = n ? static_cast<float>(static_cast<double>(sat) / n) : 0;
  }
  return out;
}

Status Model::batchnorm_trace(int layer, int feature, int rows, BatchNormTrace* out) const {
  if (layer < 0 || layer >= static_cast<int>(net_.size()) || net_.layer(layer).kind() != LayerKind::BatchNorm)
    return Status::Error("layer", std::to_string(layer) + " is not a BatchNorm layer of this model");
  const Layer& bn = net_.layer(layer);
  const int C = bn.out_features();
  if (feature < 0 || feature >= C)
    return Status::Error("feature", "must be in [0, " + std::to_string(C - 1) + "], got " + std::to_string(feature));
  const NormStats* st = bn.norm_stats();
  if (rows < 2 || st->used_running) return Status::Error("batchnorm: no training batch yet (take a step first)");
  const float* x = net_.input_of(layer);
  const float* y = net_.output_of(layer);
  const std::string prefix = std::to_string(layer) + ".";
  const float* gamma = table_.value(table_.find(prefix + "weight"));
  const float* beta = table_.value(table_.find(prefix + "bias"));
  const float* rmean = table_.value(table_.find(prefix + "running_mean"));
  const float* rvar = table_.value(table_.find(prefix + "running_var"));
  BatchNormTrace& t = *out;
  t.rows = rows;
  t.x.resize(rows), t.xhat.resize(rows), t.y.resize(rows), t.eval_y.resize(rows);
  for (int n = 0; n < rows; ++n) {
    t.x[n] = x[static_cast<size_t>(n) * C + feature];
    t.y[n] = y[static_cast<size_t>(n) * C + feature];
  }
  t.mean = st->mean[feature];
  t.var = st->var[feature];
  t.var_unbiased = st->var_unbiased[feature];  // the layer's own, from the sums that updated running_var
  t.eps = st->eps, t.momentum = st->momentum;
  t.rstd = static_cast<float>(1.0 / std::sqrt(static_cast<double>(t.var) + t.eps));
  t.gamma = st->gamma[feature], t.beta = st->beta[feature];  // as this batch used them (the optimizer has moved on)
  t.running_mean_before = st->running_mean_before[feature], t.running_var_before = st->running_var_before[feature];
  t.running_mean = rmean[feature], t.running_var = rvar[feature];
  const float eval_rstd = static_cast<float>(1.0 / std::sqrt(static_cast<double>(t.running_var) + t.eps));
  for (int n = 0; n < rows; ++n) {
    t.xhat[n] = (t.x[n] - t.mean) * t.rstd;
    t.eval_y[n] = (t.x[n] - t.running_mean) * eval_rstd * gamma[feature] + beta[feature];
  }
  return Status::Ok();
}

}  // namespace normlab
