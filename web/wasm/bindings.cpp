// The only file that knows Emscripten: thin Embind wrappers over the core. Everything crosses the boundary
// as a copy. Failures become real JS `Error`s whose message names the field; the module stays usable.
//
// Throwing from wasm into JS unwinds without running C++ destructors, so every wrapper does its work inside
// an inner scope (whose objects are destroyed normally), keeps the message in `g_error`, and throws only
// when nothing on its frame owns memory. Arguments arrive as `val` (JS handles), never as std::string.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "inspect.h"
#include "lab.h"
#include "loss.h"
#include "model.h"

using emscripten::val;
using namespace normlab;

namespace {

std::string g_error;

[[noreturn]] void throw_error() {
  val::global("Error").new_(val(g_error)).throw_();
  __builtin_unreachable();
}

// Runs `body` (returning Status) in its own scope; throws its error after every local is gone.
#define NL_TRY(body)                         \
  do {                                       \
    bool failed_;                            \
    {                                        \
      Status status_ = (body);               \
      failed_ = !status_.ok();               \
      if (failed_) g_error = status_.message(); \
    }                                        \
    if (failed_) throw_error();              \
  } while (0)

Status as_string(const val& v, const char* what, std::string* out) {
  if (!v.isString()) return Status::Error(std::string(what) + ": expected a JSON string");
  *out = v.as<std::string>();
  return Status::Ok();
}

// Copies a JS array or typed array of numbers into `out` (which only grows).
template <typename T>
Status copy_in(const val& v, const char* what, std::vector<T>* out, size_t* n) {
  if (v.isNull() || v.isUndefined() || !v["length"].isNumber())
    return Status::Error(std::string(what) + ": expected an array of numbers");
  *n = v["length"].as<size_t>();
  if (out->size() < *n) out->resize(*n);
  val view(emscripten::typed_memory_view(*n, out->data()));
  view.call<void>("set", v);
  return Status::Ok();
}

val float_array(const float* p, size_t n) { return val::global("Float32Array").new_(emscripten::typed_memory_view(n, p)); }

InferMode infer_mode(bool train_batch) { return train_batch ? InferMode::TrainBatch : InferMode::Eval; }

Status rows_of(size_t n, int width, const char* what, int* rows) {
  if (n == 0 || n % static_cast<size_t>(width) != 0)
    return Status::Error(std::string(what) + ": " + std::to_string(n) + " values is not a whole number of rows of " +
                         std::to_string(width) + " inputs");
  *rows = static_cast<int>(n / width);
  return Status::Ok();
}

}  // namespace

class OptimizerHandle;

class ModelHandle {
 public:
  static ModelHandle* create(val json, double seed) {
    ModelHandle* h = nullptr;
    NL_TRY([&] {
      std::string text;
      Status s = as_string(json, "model", &text);
      if (!s.ok()) return s;
      ModelSpec spec;
      if (!(s = parse_model_spec(text, &spec)).ok()) return s;
      if (!(seed >= 0 && seed <= 4294967295.0 && seed == std::floor(seed)))
        return Status::Error("seed: must be an integer in [0, 4294967295]");
      std::unique_ptr<Model> m;
      if (!(s = Model::create(spec, static_cast<uint64_t>(seed), &m)).ok()) return s;
      h = new ModelHandle(std::move(m));
      return Status::Ok();
    }());
    return h;
  }
  static ModelHandle* create_default(val json) { return create(json, 0); }

  val parameterNames() const {
    val out = val::array();
    for (const auto& e : model_->tensors().entries()) out.call<void>("push", val(e.name));
    return out;
  }
  val parameterShape(val name) const {
    const int id = find(name);
    val out = val::array();
    for (int d : model_->tensors().entries()[id].shape) out.call<void>("push", d);
    return out;
  }
  val getParameter(val name) const {
    const int id = find(name);
    return float_array(model_->tensors().value(id), model_->tensors().entries()[id].size);
  }
  // The gradient left by the last trainStep / computeGradients (zeros for buffers).
  val getGradient(val name) const {
    const int id = find(name);
    const auto& e = model_->tensors().entries()[id];
    if (e.role == TensorRole::Buffer) return val::global("Float32Array").new_(e.size);
    return float_array(model_->tensors().grad(id), e.size);
  }
  void setParameter(val name, val values) {
    const int id = find(name);
    NL_TRY([&] {
      size_t n = 0;
      Status s = copy_in(values, "values", &scratch_, &n);
      if (!s.ok()) return s;
      const auto& e = model_->tensors().entries()[id];
      if (n != e.size)
        return Status::Error(e.name + ": expected " + std::to_string(e.size) + " values, got " + std::to_string(n));
      for (size_t k = 0; k < n; ++k)
        if (!std::isfinite(scratch_[k])) return Status::Error(e.name + "[" + std::to_string(k) + "]: not a finite number");
      std::copy(scratch_.begin(), scratch_.begin() + n, model_->tensors().value(id));
      return Status::Ok();
    }());
  }
  void setTraining(bool t) { model_->set_training(t); }
  bool training() const { return model_->training(); }
  int input() const { return model_->input(); }
  int classes() const { return model_->classes(); }
  int parameterCount() const { return static_cast<int>(model_->tensors().params().size()); }
  std::string spec() const { return model_spec_to_json(model_->spec()); }
  // torch.manual_seed for this model's generator (dropout masks).
  void manualSeed(double seed) { model_->generator().manual_seed(static_cast<uint64_t>(seed)); }

  val forward(val x) {
    int rows = 0;
    NL_TRY([&] {
      Status s = rows_in(x, &rows);
      return s.ok() ? model_->forward(x_.data(), rows, logits_.data()) : s;
    }());
    return float_array(logits_.data(), static_cast<size_t>(rows) * model_->classes());
  }
  // Class probabilities, side-effect free: eval mode, or BatchNorm with the last training batch's statistics.
  val predictProba(val x, bool train_batch) {
    int rows = 0;
    NL_TRY([&] {
      Status s = rows_in(x, &rows);
      if (s.ok()) model_->predict_proba(x_.data(), rows, infer_mode(train_batch), logits_.data());
      return s;
    }());
    return float_array(logits_.data(), static_cast<size_t>(rows) * model_->classes());
  }
  double trainStep(val x, val y, OptimizerHandle& opt);
  double computeGradients(val x, val y) {
    double loss = 0;
    NL_TRY([&] {
      int rows = 0;
      Status s = batch_in(x, y, &rows);
      if (!s.ok()) return s;
      return model_->compute_gradients(x_.data(), y_.data(), rows, &loss);
    }());
    return loss;
  }

  Model& model() { return *model_; }
  // Copies x (rows × input) into x_ and makes room for rows × classes outputs in logits_.
  Status rows_in(const val& x, int* rows) {
    size_t n = 0;
    Status s = copy_in(x, "x", &x_, &n);
    if (!s.ok() || !(s = rows_of(n, model_->input(), "x", rows)).ok()) return s;
    const size_t out = static_cast<size_t>(*rows) * model_->classes();
    if (logits_.size() < out) logits_.resize(out);
    return Status::Ok();
  }
  Status batch_in(const val& x, const val& y, int* rows) {
    size_t ny = 0;
    Status s = rows_in(x, rows);
    if (!s.ok()) return s;
    if (!(s = copy_in(y, "y", &y_, &ny)).ok()) return s;
    if (ny != static_cast<size_t>(*rows))
      return Status::Error("y: " + std::to_string(ny) + " labels for " + std::to_string(*rows) + " rows of x");
    return model_->check_labels(y_.data(), *rows);
  }

 private:
  explicit ModelHandle(std::unique_ptr<Model> m) : model_(std::move(m)) {}
  int find(const val& name) const {
    int id = -1;
    NL_TRY([&] {
      std::string key;
      if (!name.isString()) return Status::Error("name: expected a parameter name such as \"0.weight\"");
      key = name.as<std::string>();
      id = model_->tensors().find(key);
      if (id < 0) return Status::Error(key + ": no such parameter or buffer");
      return Status::Ok();
    }());
    return id;
  }

  std::unique_ptr<Model> model_;
  std::vector<float> x_, logits_, scratch_;
  std::vector<int> y_;
};

class OptimizerHandle {
 public:
  static OptimizerHandle* create(ModelHandle& model, val json) {
    OptimizerHandle* h = nullptr;
    NL_TRY([&] {
      std::string text;
      Status s = as_string(json, "optimizer", &text);
      if (!s.ok()) return s;
      OptimizerSpec spec;
      if (!(s = parse_optimizer_spec(text, &spec)).ok()) return s;
      h = new OptimizerHandle(spec, model.model().tensors().params().size());
      return Status::Ok();
    }());
    return h;
  }
  Optimizer& optimizer() { return opt_; }
  void reset() { opt_.reset(); }
  double steps() const { return static_cast<double>(opt_.steps()); }
  std::string spec() const { return optimizer_spec_to_json(opt_.spec()); }
  void setLearningRate(double lr) {
    NL_TRY(std::isfinite(lr) && lr > 0 ? Status::Ok() : Status::Error("lr: must be a finite number > 0"));
    opt_.set_lr(lr);
  }

 private:
  OptimizerHandle(const OptimizerSpec& spec, size_t n) : opt_(spec, n) {}
  Optimizer opt_;
};

double ModelHandle::trainStep(val x, val y, OptimizerHandle& opt) {
  double loss = 0;
  NL_TRY([&] {
    int rows = 0;
    Status s = batch_in(x, y, &rows);
    if (!s.ok()) return s;
    return model_->train_step(x_.data(), y_.data(), rows, opt.optimizer(), &loss);
  }());
  return loss;
}

// The page's lab: runs in lockstep on one dataset; see core/lab.h.
class LabHandle {
 public:
  LabHandle() = default;

  void setData(val json) {
    NL_TRY([&] {
      std::string text;
      Status s = as_string(json, "data", &text);
      if (!s.ok()) return s;
      DataSpec spec;
      if (!(s = parse_data_spec(text, &spec)).ok()) return s;
      // Lab::set_data changes nothing when it fails (e.g. a test fraction that leaves no training set).
      return lab_.set_data(spec);
    }());
  }
  std::string dataSpec() const { return data_spec_to_json(lab_.data_spec()); }
  void setBatchSize(int batch) { NL_TRY(lab_.set_batch_size(batch)); }
  int batchSize() const { return lab_.batch_size(); }
  void setInitMode(val mode) {
    NL_TRY([&] {
      const std::string m = mode.isString() ? mode.as<std::string>() : std::string();
      if (m == "shared") lab_.set_init_mode(InitMode::Shared);
      else if (m == "sequential") lab_.set_init_mode(InitMode::Sequential);
      else return Status::Error("init: expected \"shared\" or \"sequential\"");
      return lab_.reset(lab_.seed());
    }());
  }
  int addRun(val model_json, val optimizer_json) {
    int index = -1;
    NL_TRY([&] {
      ModelSpec m;
      OptimizerSpec o;
      Status s = parse_pair(model_json, optimizer_json, &m, &o);
      if (!s.ok()) return s;
      return lab_.add_run(m, o, &index);
    }());
    return index;
  }
  void replaceRun(int index, val model_json, val optimizer_json) {
    NL_TRY([&] {
      ModelSpec m;
      OptimizerSpec o;
      Status s = parse_pair(model_json, optimizer_json, &m, &o);
      if (!s.ok()) return s;
      return lab_.replace_run(index, m, o);
    }());
  }
  void removeRun(int index) { NL_TRY(lab_.remove_run(index)); }
  int runCount() const { return lab_.run_count(); }
  void reset(double seed) {
    NL_TRY(seed >= 0 && seed <= 4294967295.0 && seed == std::floor(seed) ? Status::Ok()
                                                                            : Status::Error("seed: must be an integer in [0, 4294967295]"));
    NL_TRY(lab_.reset(static_cast<uint32_t>(seed)));
  }
  double seed() const { return lab_.seed(); }

  // Runs up to `count` steps, stopping early at the end of an epoch. Returns the number of steps taken.
  int step(int count) {
    int done = 0;
    epoch_ended_ = false;
    while (done < (count < 1 ? 1 : count)) {
      ++done;
      if (lab_.step(&summary_)) {
        epoch_ended_ = true;
        break;
      }
    }
    return done;
  }
  bool epochEnded() const { return epoch_ended_; }
  double stepCount() const { return static_cast<double>(lab_.steps_done()); }
  double epoch() const { return static_cast<double>(lab_.epoch()); }
  int stepInEpoch() const { return lab_.step_in_epoch(); }
  int stepsPerEpoch() const { return lab_.steps_per_epoch(); }

  // The last step of each run: {loss, accuracy, rows, stopped, error}.
  val runState(int index) {
    check_index(index);
    const Run& r = lab_.run(index);
    val o = val::object();
    o.set("loss", r.rows ? r.loss : NAN);
    o.set("accuracy", r.rows ? static_cast<double>(r.correct) / r.rows : NAN);
    o.set("rows", r.rows);
    o.set("stopped", r.stopped);
    o.set("error", r.error);
    o.set("stepSeconds", r.step_seconds);
    return o;
  }
  // The last completed epoch: {epoch, meanLoss: number[], trainAccuracy: number[]}.
  val epochSummary() const {
    val o = val::object();
    o.set("epoch", static_cast<double>(summary_.epoch));
    val loss = val::array(), acc = val::array();
    for (double v : summary_.mean_loss) loss.call<void>("push", v);
    for (double v : summary_.train_accuracy) acc.call<void>("push", v);
    o.set("meanLoss", loss);
    o.set("trainAccuracy", acc);
    return o;
  }
  val evaluate(int index, bool test_set, bool train_batch) {
    check_index(index);
    double loss, acc;
    lab_.evaluate(index, test_set, infer_mode(train_batch), &loss, &acc);
    val o = val::object();
    o.set("loss", loss);
    o.set("accuracy", acc);
    return o;
  }
  val grid(int index, int w, int h, double x0, double x1, double y0, double y1, bool train_batch) {
    check_index(index);
    size_t n = 0;
    NL_TRY([&] {
      if (w < 2 || h < 2 || w > 2048 || h > 2048) return Status::Error("grid: width and height must be in [2, 2048]");
      n = static_cast<size_t>(w) * h * lab_.run(index).model->classes();
      if (grid_.size() < n) grid_.resize(n);
      return lab_.grid(index, w, h, x0, x1, y0, y1, infer_mode(train_batch), grid_.data());
    }());
    return float_array(grid_.data(), n);
  }
  val trainData() const { return dataset(lab_.train()); }
  val testData() const { return dataset(lab_.test()); }
  val lastBatch() const {
    const auto& b = lab_.last_batch();
    return val::global("Int32Array").new_(emscripten::typed_memory_view(b.size(), b.data()));
  }
  val parameterNames(int index) {
    check_index(index);
    val out = val::array();
    for (const auto& e : lab_.run(index).model->tensors().entries()) out.call<void>("push", val(e.name));
    return out;
  }
  val getParameter(int index, val name) {
    check_index(index);
    TensorTable& t = lab_.run(index).model->tensors();
    int id = -1;
    NL_TRY([&] {
      id = name.isString() ? t.find(name.as<std::string>()) : -1;
      return id < 0 ? Status::Error("name: no such parameter or buffer") : Status::Ok();
    }());
    return float_array(t.value(id), t.entries()[id].size);
  }
  // Writes a parameter or buffer of run `index` (e.g. from an imported model file); names the problem if the
  // name is unknown, the length wrong or a value not finite, and then changes nothing.
  void setParameter(int index, val name, val values) {
    check_index(index);
    TensorTable& t = lab_.run(index).model->tensors();
    NL_TRY([&] {
      const std::string key = name.isString() ? name.as<std::string>() : std::string("?");
      const int id = t.find(key);
      if (id < 0) return Status::Error(key + ": no such parameter or buffer in run " + std::to_string(index + 1));
      size_t n = 0;
      Status s = copy_in(values, key.c_str(), &x_, &n);
      if (!s.ok()) return s;
      const auto& e = t.entries()[id];
      if (n != e.size) return Status::Error(key + ": expected " + std::to_string(e.size) + " values, got " + std::to_string(n));
      for (size_t k = 0; k < n; ++k)
        if (!std::isfinite(x_[k])) return Status::Error(key + "[" + std::to_string(k) + "]: not a finite number");
      std::copy(x_.begin(), x_.begin() + n, t.value(id));
      return Status::Ok();
    }());
  }
  // Eval-mode logits of run `index` for rows of x (side-effect free): what the exported PyTorch model must give.
  val logits(int index, val x) {
    check_index(index);
    const Model& m = *lab_.run(index).model;
    int rows = 0;
    NL_TRY([&] {
      size_t n = 0;
      Status s = copy_in(x, "x", &x_, &n);
      if (!s.ok() || !(s = rows_of(n, m.input(), "x", &rows)).ok()) return s;
      const size_t out = static_cast<size_t>(rows) * m.classes();
      if (grid_.size() < out) grid_.resize(out);
      m.logits(x_.data(), rows, InferMode::Eval, grid_.data());
      return Status::Ok();
    }());
    return float_array(grid_.data(), static_cast<size_t>(rows) * m.classes());
  }
  std::string modelSpec(int index) {
    check_index(index);
    return model_spec_to_json(lab_.run(index).model_spec);
  }

  // BatchNorm step by step: one feature of top-level BatchNorm layer `layer` on the last training batch.
  val batchNormTrace(int index, int layer, int feature) {
    check_index(index);
    Run& r = lab_.run(index);
    // A stopped run's buffers may hold a batch it never finished (and rows of an older one): no trace.
    NL_TRY(r.stopped ? Status::Error("run: run " + std::to_string(index + 1) + " has stopped (" + r.error + ")")
                     : r.model->batchnorm_trace(layer, feature, r.rows, &trace_));
    const BatchNormTrace& t = trace_;
    val o = val::object();
    o.set("rows", t.rows);
    o.set("x", float_array(t.x.data(), t.x.size()));
    o.set("xhat", float_array(t.xhat.data(), t.xhat.size()));
    o.set("y", float_array(t.y.data(), t.y.size()));
    o.set("evalY", float_array(t.eval_y.data(), t.eval_y.size()));
    o.set("mean", t.mean);
    o.set("var", t.var);
    o.set("varUnbiased", t.var_unbiased);
    o.set("rstd", t.rstd);
    o.set("gamma", t.gamma);
    o.set("beta", t.beta);
    o.set("eps", t.eps);
    o.set("momentum", t.momentum);
    o.set("runningMeanBefore", t.running_mean_before);
    o.set("runningVarBefore", t.running_var_before);
    o.set("runningMean", t.running_mean);
    o.set("runningVar", t.running_var);
    return o;
  }

  // What the lessons draw, for the last training batch:
  // {activations: [{layer, type, mean, std, saturated}], gradNorms: [{name, norm}],
  //  norms: [{layer, type, mean: Float32Array, var: Float32Array, usedRunning}]}
  val diagnostics(int index) {
    check_index(index);
    Run& r = lab_.run(index);
    Model& m = *r.model;
    val o = val::object();
    val acts = val::array(), grads = val::array(), norms = val::array();
    if (r.rows > 0) {
      const auto stats = m.activation_stats(r.rows);
      for (size_t i = 0; i < stats.size(); ++i) {
        val a = val::object();
        a.set("layer", static_cast<int>(i));
        a.set("type", std::string(layer_kind_name(m.net().layer(i).kind())));
        a.set("mean", stats[i].mean);
        a.set("std", stats[i].std);
        a.set("saturated", stats[i].saturated);
        acts.call<void>("push", a);
        if (const NormStats* ns = m.net().layer(i).norm_stats()) {
          val nv = val::object();
          nv.set("layer", static_cast<int>(i));
          nv.set("type", std::string(layer_kind_name(m.net().layer(i).kind())));
          nv.set("mean", float_array(ns->mean.data(), ns->mean.size()));
          nv.set("var", float_array(ns->var.data(), ns->var.size()));
          nv.set("usedRunning", ns->used_running);
          norms.call<void>("push", nv);
        }
      }
    }
    TensorTable& t = m.tensors();
    for (size_t id = 0; id < t.entries().size(); ++id) {
      const auto& e = t.entries()[id];
      if (e.role != TensorRole::Parameter) continue;
      const float* g = t.grad(static_cast<int>(id));
      double ss = 0;
      for (size_t k = 0; k < e.size; ++k) ss += static_cast<double>(g[k]) * g[k];
      val gv = val::object();
      gv.set("name", e.name);
      gv.set("norm", std::sqrt(ss));
      grads.call<void>("push", gv);
    }
    o.set("activations", acts);
    o.set("gradNorms", grads);
    o.set("norms", norms);
    return o;
  }

 private:
  static Status parse_pair(const val& mj, const val& oj, ModelSpec* m, OptimizerSpec* o) {
    std::string text;
    Status s = as_string(mj, "model", &text);
    if (!s.ok() || !(s = parse_model_spec(text, m)).ok()) return s;
    if (!(s = as_string(oj, "optimizer", &text)).ok()) return s;
    return parse_optimizer_spec(text, o);
  }
  void check_index(int index) const {
    NL_TRY(index >= 0 && index < lab_.run_count() ? Status::Ok() : Status::Error("run: no run " + std::to_string(index)));
  }
  static val dataset(const Dataset& d) {
    val o = val::object();
    o.set("x", float_array(d.x.data(), d.x.size()));
    o.set("y", val::global("Int32Array").new_(emscripten::typed_memory_view(d.y.size(), d.y.data())));
    o.set("rows", d.rows);
    return o;
  }

  Lab lab_;
  EpochSummary summary_;
  bool epoch_ended_ = false;
  std::vector<float> grid_, x_;
  BatchNormTrace trace_;
};

// The normalization inspector: spec = {norm, shape, groups, eps, x, gamma, beta} (see core/inspect.h).
static InspectResult g_inspect;
static val inspect_norm_js(val spec) {
  auto run = [&] {
    InspectInput in;
    if (!spec["norm"].isString()) return Status::Error("norm: expected a string");
    in.norm = spec["norm"].as<std::string>();
    size_t n = 0;
    std::vector<double> shape;
    Status s = copy_in(spec["shape"], "shape", &shape, &n);
    if (!s.ok()) return s;
    for (size_t i = 0; i < n; ++i) {
      if (!(shape[i] >= 0 && shape[i] <= 1e6 && shape[i] == std::floor(shape[i]))) return Status::Error("shape: every dimension must be a whole number");
      in.shape.push_back(static_cast<int>(shape[i]));
    }
    const val groups = spec["groups"], eps = spec["eps"];
    if (!groups.isUndefined()) {
      if (!groups.isNumber() || groups.as<double>() != std::floor(groups.as<double>()) || std::fabs(groups.as<double>()) > 1e6)
        return Status::Error("groups: expected a whole number");
      in.groups = groups.as<int>();
    }
    if (!eps.isUndefined()) {
      if (!eps.isNumber()) return Status::Error("eps: expected a number");
      in.eps = eps.as<double>();
    }
    if (!(s = copy_in(spec["x"], "x", &in.x, &n)).ok()) return s;
    in.x.resize(n);
    for (const char* key : {"gamma", "beta"}) {
      const val v = spec[key];
      if (v.isUndefined() || v.isNull()) continue;
      std::vector<float>& dst = key[0] == 'g' ? in.gamma : in.beta;
      if (!(s = copy_in(v, key, &dst, &n)).ok()) return s;
      dst.resize(n);
      for (float f : dst)
        if (!std::isfinite(f)) return Status::Error(std::string(key) + ": every value must be a finite number");
    }
    return inspect_norm(in, &g_inspect);
  };
  NL_TRY(run());
  const InspectResult& r = g_inspect;
  val o = val::object();
  o.set("stats", r.stats);
  o.set("groupOf", val::global("Int32Array").new_(emscripten::typed_memory_view(r.group_of.size(), r.group_of.data())));
  for (auto [name, v] : {std::pair<const char*, const std::vector<float>*>{"mean", &r.mean}, {"var", &r.var}, {"rstd", &r.rstd},
                         {"rstdOutside", &r.rstd_outside}, {"xhat", &r.xhat}, {"y", &r.y}, {"rowMeanX", &r.row_mean_x},
                         {"rowVarX", &r.row_var_x}, {"rowMeanY", &r.row_mean_y}, {"rowVarY", &r.row_var_y},
                         {"rowVarYBiased", &r.row_var_y_biased}})
    o.set(name, float_array(v->data(), v->size()));
  return o;
}

// torch.manual_seed(seed); torch.randn(n)
static val randn_js(double seed, int n) {
  NL_TRY([&] {
    if (!(seed >= 0 && seed <= 4294967295.0 && seed == std::floor(seed))) return Status::Error("seed: must be an integer in [0, 4294967295]");
    if (n < 1 || n > 4096) return Status::Error("n: must be in [1, 4096]");
    return Status::Ok();
  }());
  static std::vector<float> buf;
  buf.resize(n);
  TorchGenerator gen(static_cast<uint64_t>(seed));
  gen.randn(buf.data(), n);
  return float_array(buf.data(), buf.size());
}

// Memory, for the tests that keep it flat: the wasm memory size, and the bytes malloc has handed out.
static double heap_size() { return val::module_property("HEAPU8")["length"].as<double>(); }
static double heap_used() { return static_cast<double>(mallinfo().uordblks); }

EMSCRIPTEN_BINDINGS(normlab) {
  using namespace emscripten;
  class_<ModelHandle>("Model")
      .constructor(&ModelHandle::create_default, allow_raw_pointers())
      .constructor(&ModelHandle::create, allow_raw_pointers())
      .function("parameterNames", &ModelHandle::parameterNames)
      .function("parameterShape", &ModelHandle::parameterShape)
      .function("getParameter", &ModelHandle::getParameter)
      .function("getGradient", &ModelHandle::getGradient)
      .function("setParameter", &ModelHandle::setParameter)
      .function("setTraining", &ModelHandle::setTraining)
      .function("training", &ModelHandle::training)
      .function("input", &ModelHandle::input)
      .function("classes", &ModelHandle::classes)
      .function("parameterCount", &ModelHandle::parameterCount)
      .function("spec", &ModelHandle::spec)
      .function("manualSeed", &ModelHandle::manualSeed)
      .function("forward", &ModelHandle::forward)
      .function("predictProba", &ModelHandle::predictProba)
      .function("trainStep", &ModelHandle::trainStep)
      .function("computeGradients", &ModelHandle::computeGradients);
  class_<OptimizerHandle>("Optimizer")
      .constructor(&OptimizerHandle::create, allow_raw_pointers())
      .function("reset", &OptimizerHandle::reset)
      .function("steps", &OptimizerHandle::steps)
      .function("spec", &OptimizerHandle::spec)
      .function("setLearningRate", &OptimizerHandle::setLearningRate);
  class_<LabHandle>("Lab")
      .constructor<>()
      .function("setData", &LabHandle::setData)
      .function("dataSpec", &LabHandle::dataSpec)
      .function("setBatchSize", &LabHandle::setBatchSize)
      .function("batchSize", &LabHandle::batchSize)
      .function("setInitMode", &LabHandle::setInitMode)
      .function("addRun", &LabHandle::addRun)
      .function("replaceRun", &LabHandle::replaceRun)
      .function("removeRun", &LabHandle::removeRun)
      .function("runCount", &LabHandle::runCount)
      .function("reset", &LabHandle::reset)
      .function("seed", &LabHandle::seed)
      .function("step", &LabHandle::step)
      .function("epochEnded", &LabHandle::epochEnded)
      .function("stepCount", &LabHandle::stepCount)
      .function("epoch", &LabHandle::epoch)
      .function("stepInEpoch", &LabHandle::stepInEpoch)
      .function("stepsPerEpoch", &LabHandle::stepsPerEpoch)
      .function("runState", &LabHandle::runState)
      .function("epochSummary", &LabHandle::epochSummary)
      .function("evaluate", &LabHandle::evaluate)
      .function("grid", &LabHandle::grid)
      .function("trainData", &LabHandle::trainData)
      .function("testData", &LabHandle::testData)
      .function("lastBatch", &LabHandle::lastBatch)
      .function("parameterNames", &LabHandle::parameterNames)
      .function("getParameter", &LabHandle::getParameter)
      .function("setParameter", &LabHandle::setParameter)
      .function("modelSpec", &LabHandle::modelSpec)
      .function("logits", &LabHandle::logits)
      .function("diagnostics", &LabHandle::diagnostics)
      .function("batchNormTrace", &LabHandle::batchNormTrace);
  function("inspectNorm", &inspect_norm_js);
  function("randn", &randn_js);
  function("heapSize", &heap_size);
  function("heapUsed", &heap_used);
}
