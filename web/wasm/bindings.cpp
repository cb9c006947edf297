// The only file that knows Emscripten: Embind over the core. It converts types and nothing else; every check
// and every computation is the core's. Everything crosses the boundary as a copy.
//
// A failing Status becomes a JS Error whose `field` is the input it names (Status::field, "" when none) and
// whose message is the core's; the module stays usable. Throwing into JS unwinds without running C++
// destructors, so each wrapper computes its Status inside NL_TRY's scope (whose locals are destroyed
// normally) and throws from a frame that owns no memory, with a JS function (no Embind handle is made).
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "inspect.h"
#include "lab.h"

using emscripten::val;
using namespace normlab;

namespace {

std::string g_message, g_field;  // the error being thrown

EM_JS(void, js_throw_error, (const char* message, const char* field), {
  const error = new Error(UTF8ToString(message));
  error.field = UTF8ToString(field);
  throw error;
});

#define NL_TRY(status_expr)                                   \
  do {                                                        \
    bool failed_;                                             \
    {                                                         \
      Status nl_status = (status_expr);                         \
      failed_ = !nl_status.ok();                                \
      if (failed_) g_message = nl_status.message(), g_field = nl_status.field(); \
    }                                                         \
    if (failed_) js_throw_error(g_message.c_str(), g_field.c_str()); \
  } while (0)

Status json_in(const val& v, const char* field, std::string* out) {
  if (!v.isString()) return Status::Error(field, "expected a JSON string");
  *out = v.as<std::string>();
  return Status::Ok();
}

Status name_in(const val& v, std::string* out) {
  if (!v.isString()) return Status::Error("name", "expected a parameter name such as \"0.weight\"");
  *out = v.as<std::string>();
  return Status::Ok();
}

// Copies a JS array or typed array of numbers into `out`, resized to its length.
template <typename T>
Status numbers_in(const val& v, const char* field, std::vector<T>* out) {
  if (v.isNull() || v.isUndefined() || !v["length"].isNumber()) return Status::Error(field, "expected an array of numbers");
  out->resize(v["length"].as<size_t>());
  val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", v);
  return Status::Ok();
}

template <typename T>
val typed(const char* type, const T* p, size_t n) { return val::global(type).new_(emscripten::typed_memory_view(n, p)); }
val f32(const std::vector<float>& v) { return typed("Float32Array", v.data(), v.size()); }
val i32(const std::vector<int>& v) { return typed("Int32Array", v.data(), v.size()); }

val object(std::initializer_list<std::pair<const char*, val>> fields) {
  val o = val::object();
  for (const auto& [k, v] : fields) o.set(k, v);
  return o;
}

InferMode infer_mode(bool train_batch) { return train_batch ? InferMode::TrainBatch : InferMode::Eval; }

// The parameters and buffers of a model, by state_dict name.
val tensor_names(const TensorTable& t) {
  val out = val::array();
  for (const auto& e : t.entries()) out.call<void>("push", e.name);
  return out;
}
val tensor_values(TensorTable& t, const val& name, bool gradient) {
  int id = -1;
  NL_TRY([&] {
    std::string key;
    Status s = name_in(name, &key);
    return s.ok() ? t.lookup(key, &id) : s;
  }());
  const TensorEntry& e = t.entries()[id];
  if (gradient && e.role == TensorRole::Buffer) return val::global("Float32Array").new_(e.size);  // buffers: zeros
  return typed("Float32Array", gradient ? t.grad(id) : t.value(id), e.size);
}
void tensor_assign(TensorTable& t, const val& name, const val& values, std::vector<float>* scratch) {
  NL_TRY([&] {
    std::string key;
    Status s = name_in(name, &key);
    if (s.ok()) s = numbers_in(values, "values", scratch);
    return s.ok() ? t.assign(key, scratch->data(), scratch->size()) : s;
  }());
}

}  // namespace

class OptimizerHandle {
 public:
  static OptimizerHandle* create(class ModelHandle& model, val json);
  Optimizer& optimizer() { return *opt_; }
  void reset() { opt_->reset(); }
  double steps() const { return static_cast<double>(opt_->steps()); }
  std::string spec() const { return optimizer_spec_to_json(opt_->spec()); }
  void setLearningRate(double lr) {
    NL_TRY(std::isfinite(lr) && lr > 0 ? Status::Ok() : Status::Error("lr", "must be a finite number > 0"));
    opt_->set_lr(lr);
  }

 private:
  std::unique_ptr<Optimizer> opt_;
};

class ModelHandle {
 public:
  static ModelHandle* create(val json, double seed) {
    auto* h = new ModelHandle();
    NL_TRY([&] {
      std::string text;
      ModelSpec spec;
      Status s = json_in(json, "model", &text);
      if (s.ok()) s = parse_model_spec(text, &spec);
      if (s.ok()) s = check_seed(seed);
      if (s.ok()) s = Model::create(spec, static_cast<uint64_t>(seed), &h->model_);
      if (!s.ok()) delete h;
      return s;
    }());
    return h;
  }
  static ModelHandle* create_default(val json) { return create(json, 0); }

  val parameterNames() const { return tensor_names(model_->tensors()); }
  val parameterShape(val name) {
    int id = -1;
    NL_TRY([&] {
      std::string key;
      Status s = name_in(name, &key);
      return s.ok() ? model_->tensors().lookup(key, &id) : s;
    }());
    val out = val::array();
    for (int d : model_->tensors().entries()[id].shape) out.call<void>("push", d);
    return out;
  }
  val getParameter(val name) { return tensor_values(model_->tensors(), name, false); }
  val getGradient(val name) { return tensor_values(model_->tensors(), name, true); }  // of the last backward pass
  void setParameter(val name, val values) { tensor_assign(model_->tensors(), name, values, &x_); }
  void setTraining(bool t) { model_->set_training(t); }
  bool training() const { return model_->training(); }
  int input() const { return model_->input(); }
  int classes() const { return model_->classes(); }
  int parameterCount() const { return static_cast<int>(model_->tensors().params().size()); }
  std::string spec() const { return model_spec_to_json(model_->spec()); }
  void manualSeed(double seed) { model_->generator().manual_seed(static_cast<uint64_t>(seed)); }  // dropout masks

  val forward(val x) {
    NL_TRY(rows_in(x) ? model_->forward(x_.data(), rows_, out_.data()) : status_);
    return typed("Float32Array", out_.data(), static_cast<size_t>(rows_) * model_->classes());
  }
  // Class probabilities, side-effect free: eval mode, or BatchNorm with the last training batch's statistics.
  val predictProba(val x, bool train_batch) {
    NL_TRY(rows_in(x) ? (model_->predict_proba(x_.data(), rows_, infer_mode(train_batch), out_.data()), Status::Ok()) : status_);
    return typed("Float32Array", out_.data(), static_cast<size_t>(rows_) * model_->classes());
  }
  double trainStep(val x, val y, OptimizerHandle& opt) {
    double loss = 0;
    NL_TRY(batch_in(x, y) ? model_->train_step(x_.data(), y_.data(), rows_, opt.optimizer(), &loss) : status_);
    return loss;
  }
  double computeGradients(val x, val y) {
    double loss = 0;
    NL_TRY(batch_in(x, y) ? model_->compute_gradients(x_.data(), y_.data(), rows_, &loss) : status_);
    return loss;
  }
  Model& model() { return *model_; }

 private:
  // Copies x into x_ (whole rows) and makes room for their outputs; false with status_ set if it cannot.
  bool rows_in(const val& x) {
    status_ = numbers_in(x, "x", &x_);
    if (status_.ok()) status_ = model_->rows_of(x_.size(), &rows_);
    if (status_.ok()) out_.resize(static_cast<size_t>(rows_) * model_->classes());
    return status_.ok();
  }
  bool batch_in(const val& x, const val& y) {
    status_ = numbers_in(x, "x", &x_);
    if (status_.ok()) status_ = numbers_in(y, "y", &y_);
    if (status_.ok()) status_ = model_->check_batch(x_.size(), y_.data(), y_.size(), &rows_);
    return status_.ok();
  }

  std::unique_ptr<Model> model_;
  std::vector<float> x_, out_;
  std::vector<int> y_;
  int rows_ = 0;
  Status status_;
};

OptimizerHandle* OptimizerHandle::create(ModelHandle& model, val json) {
  auto* h = new OptimizerHandle();
  NL_TRY([&] {
    std::string text;
    OptimizerSpec spec;
    Status s = json_in(json, "optimizer", &text);
    if (s.ok()) s = parse_optimizer_spec(text, &spec);
    if (s.ok()) h->opt_ = std::make_unique<Optimizer>(spec, model.model().tensors().params().size());
    else delete h;
    return s;
  }());
  return h;
}

// The page's lab: runs in lockstep on one dataset; see core/lab.h.
class LabHandle {
 public:
  void setData(val json) {
    NL_TRY([&] {
      std::string text;
      DataSpec spec;
      Status s = json_in(json, "data", &text);
      if (s.ok()) s = parse_data_spec(text, &spec);
      return s.ok() ? lab_.set_data(spec) : s;  // changes nothing when it fails
    }());
  }
  std::string dataSpec() const { return data_spec_to_json(lab_.data_spec()); }
  void setBatchSize(int batch) { NL_TRY(lab_.set_batch_size(batch)); }
  int batchSize() const { return lab_.batch_size(); }
  void setInitMode(val mode) {
    NL_TRY([&] {
      InitMode m;
      Status s = parse_init_mode(mode.isString() ? mode.as<std::string>() : std::string(), &m);
      if (s.ok()) lab_.set_init_mode(m);
      return s.ok() ? lab_.reset(lab_.seed()) : s;
    }());
  }
  int addRun(val model_json, val optimizer_json) {
    int index = -1;
    NL_TRY([&] {
      ModelSpec m;
      OptimizerSpec o;
      Status s = specs_in(model_json, optimizer_json, &m, &o);
      return s.ok() ? lab_.add_run(m, o, &index) : s;
    }());
    return index;
  }
  void replaceRun(int index, val model_json, val optimizer_json) {
    NL_TRY([&] {
      ModelSpec m;
      OptimizerSpec o;
      Status s = specs_in(model_json, optimizer_json, &m, &o);
      return s.ok() ? lab_.replace_run(index, m, o) : s;
    }());
  }
  void removeRun(int index) { NL_TRY(lab_.remove_run(index)); }
  int runCount() const { return lab_.run_count(); }
  void reset(double seed) {
    NL_TRY(check_seed(seed));
    NL_TRY(lab_.reset(static_cast<uint32_t>(seed)));
  }
  double seed() const { return lab_.seed(); }
  int step(int count) { return lab_.step(count); }
  bool epochEnded() const { return lab_.epoch_ended(); }
  double stepCount() const { return static_cast<double>(lab_.steps_done()); }
  double epoch() const { return static_cast<double>(lab_.epoch()); }
  int stepInEpoch() const { return lab_.step_in_epoch(); }
  int stepsPerEpoch() const { return lab_.steps_per_epoch(); }

  // The last step of each run: {loss, accuracy, rows, stopped, error, stepSeconds}.
  val runState(int index) {
    const Run& r = run(index);
    return object({{"loss", val(r.rows ? r.loss : NAN)}, {"accuracy", val(r.rows ? static_cast<double>(r.correct) / r.rows : NAN)},
                   {"rows", val(r.rows)}, {"stopped", val(r.stopped)}, {"error", val(r.error)}, {"stepSeconds", val(r.step_seconds)}});
  }
  // The last completed epoch: {epoch, meanLoss: number[], trainAccuracy: number[]}.
  val epochSummary() const {
    const EpochSummary& s = lab_.last_summary();
    return object({{"epoch", val(static_cast<double>(s.epoch))}, {"meanLoss", val::array(s.mean_loss)},
                   {"trainAccuracy", val::array(s.train_accuracy)}});
  }
  val evaluate(int index, bool test_set, bool train_batch) {
    run(index);
    double loss, accuracy;
    lab_.evaluate(index, test_set, infer_mode(train_batch), &loss, &accuracy);
    return object({{"loss", val(loss)}, {"accuracy", val(accuracy)}});
  }
  val grid(int index, int w, int h, double x0, double x1, double y0, double y1, bool train_batch) {
    NL_TRY(lab_.grid(index, w, h, x0, x1, y0, y1, infer_mode(train_batch), &out_));
    return f32(out_);
  }
  val trainData() const { return dataset(lab_.train()); }
  val testData() const { return dataset(lab_.test()); }
  val lastBatch() const { return i32(lab_.last_batch()); }
  val parameterNames(int index) { return tensor_names(run(index).model->tensors()); }
  val getParameter(int index, val name) { return tensor_values(run(index).model->tensors(), name, false); }
  // Writes a parameter or buffer (e.g. from a model file); on any problem it names it and changes nothing.
  void setParameter(int index, val name, val values) { tensor_assign(run(index).model->tensors(), name, values, &x_); }
  // Eval-mode logits of run `index` for rows of x (side-effect free): what the exported PyTorch model must give.
  val logits(int index, val x) {
    NL_TRY(numbers_in(x, "x", &x_));
    NL_TRY(lab_.logits(index, x_.data(), x_.size(), &out_));
    return f32(out_);
  }
  std::string modelSpec(int index) { return model_spec_to_json(run(index).model_spec); }

  // BatchNorm step by step: one feature of top-level BatchNorm layer `layer` on the last training batch.
  val batchNormTrace(int index, int layer, int feature) {
    NL_TRY(lab_.batchnorm_trace(index, layer, feature, &trace_));
    const BatchNormTrace& t = trace_;
    return object({{"rows", val(t.rows)}, {"x", f32(t.x)}, {"xhat", f32(t.xhat)}, {"y", f32(t.y)}, {"evalY", f32(t.eval_y)},
                   {"mean", val(t.mean)}, {"var", val(t.var)}, {"varUnbiased", val(t.var_unbiased)}, {"rstd", val(t.rstd)},
                   {"gamma", val(t.gamma)}, {"beta", val(t.beta)}, {"eps", val(t.eps)}, {"momentum", val(t.momentum)},
                   {"runningMeanBefore", val(t.running_mean_before)}, {"runningVarBefore", val(t.running_var_before)},
                   {"runningMean", val(t.running_mean)}, {"runningVar", val(t.running_var)}});
  }

  // What the lessons draw, for the last training batch:
  // {activations: [{layer, type, mean, std, saturated}], gradNorms: [{name, norm}],
  //  norms: [{layer, type, mean: Float32Array, var: Float32Array, usedRunning}]}
  val diagnostics(int index) {
    run(index);
    const Diagnostics d = lab_.diagnostics(index);
    val acts = val::array(), grads = val::array(), norms = val::array();
    for (const LayerDiagnostics& l : d.layers) {
      const val type(std::string(layer_kind_name(l.kind)));
      acts.call<void>("push", object({{"layer", val(l.layer)}, {"type", type}, {"mean", val(l.act.mean)}, {"std", val(l.act.std)},
                                      {"saturated", val(l.act.saturated)}}));
      if (l.norm)
        norms.call<void>("push", object({{"layer", val(l.layer)}, {"type", type}, {"mean", f32(l.norm->mean)}, {"var", f32(l.norm->var)},
                                         {"usedRunning", val(l.norm->used_running)}}));
    }
    for (const GradNorm& g : d.grad_norms) grads.call<void>("push", object({{"name", val(g.name)}, {"norm", val(g.norm)}}));
    return object({{"activations", acts}, {"gradNorms", grads}, {"norms", norms}});
  }

 private:
  static Status specs_in(const val& mj, const val& oj, ModelSpec* m, OptimizerSpec* o) {
    std::string text;
    Status s = json_in(mj, "model", &text);
    if (s.ok()) s = parse_model_spec(text, m);
    if (s.ok()) s = json_in(oj, "optimizer", &text);
    return s.ok() ? parse_optimizer_spec(text, o) : s;
  }
  Run& run(int index) {
    NL_TRY(lab_.check_index(index));
    return lab_.run(index);
  }
  static val dataset(const Dataset& d) { return object({{"x", f32(d.x)}, {"y", i32(d.y)}, {"rows", val(d.rows)}}); }

  Lab lab_;
  std::vector<float> out_, x_;
  BatchNormTrace trace_;
};

// The normalization inspector: a JSON spec {norm, shape, groups, eps, x, gamma, beta} (see core/inspect.h).
static val inspect_norm_js(val json) {
  static InspectResult r;
  NL_TRY([&] {
    std::string text;
    InspectInput in;
    Status s = json_in(json, "inspect", &text);
    if (s.ok()) s = parse_inspect_input(text, &in);
    return s.ok() ? inspect_norm(in, &r) : s;
  }());
  return object({{"stats", val(r.stats)}, {"groupOf", i32(r.group_of)}, {"mean", f32(r.mean)}, {"var", f32(r.var)},
                 {"rstd", f32(r.rstd)}, {"rstdOutside", f32(r.rstd_outside)}, {"xhat", f32(r.xhat)}, {"y", f32(r.y)},
                 {"rowMeanX", f32(r.row_mean_x)}, {"rowVarX", f32(r.row_var_x)}, {"rowMeanY", f32(r.row_mean_y)},
                 {"rowVarY", f32(r.row_var_y)}, {"rowVarYBiased", f32(r.row_var_y_biased)}});
}

// torch.manual_seed(seed); torch.randn(n)
static val randn_js(double seed, int n) {
  static std::vector<float> values;
  NL_TRY(torch_randn(seed, n, &values));
  return f32(values);
}

// Every limit the engine checks (core/limits_table.h), as JSON.
static std::string limits_js() { return limits_json(); }

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
  function("limits", &limits_js);
  function("heapSize", &heap_size);
  function("heapUsed", &heap_used);
}
