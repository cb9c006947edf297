// The only file that knows Emscripten: Embind over the core's Model, Optimizer and Lab. It converts types and
// nothing else; everything crosses as a copy. A failing Status becomes a JS Error whose `field` is the input
// it names ("" when none). Throwing unwinds without C++ destructors, so no function keeps memory-owning
// locals (they live in the scratch below; the module is single-threaded), and NL_TRY throws, from a JS
// function that makes no Embind handle, only after its Status is destroyed.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <string>
#include <vector>

#include "inspect.h"
#include "lab.h"

using emscripten::val;
using namespace normlab;

namespace {
std::string g_message, g_field;  // the error being thrown; below, the scratch for what is read and returned
InspectResult g_inspect;
BatchNormTrace g_trace;
std::vector<float> g_x, g_out;
std::vector<int> g_y;

EM_JS(void, js_throw_error, (const char* message, const char* field), {
  const error = new Error(UTF8ToString(message));
  error.field = UTF8ToString(field);
  throw error;
});

// `if (failed(expr)) raise();` keeps the error, destroys the Status (the condition's temporary), then throws.
bool failed(const Status& s) { return s.ok() ? false : (g_message = s.message(), g_field = s.field(), true); }
void raise() { js_throw_error(g_message.c_str(), g_field.c_str()); }
#define NL_TRY(status_expr) \
  if (failed(status_expr)) raise()

// In: strings (JSON for the core's parsers, names: read inside NL_TRY's condition), arrays of numbers.
Status is_string(const val& v, const char* field, const char* expected = "a JSON string") {
  return v.isString() ? Status::Ok() : Status::Error(field, std::string("expected ") + expected);
}
template <typename T>
Status numbers_in(const val& v, const char* field, std::vector<T>* out) {
  if (v.isNull() || v.isUndefined() || !v["length"].isNumber())
    return Status::Error(field, "expected an array of numbers");
  out->resize(v["length"].as<size_t>());
  val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", v);
  return Status::Ok();
}

// Out: typed-array copies, and objects built field by field: object("loss", 0.5, "x", floats, ...).
template <typename T>
val typed(const char* type, const T* p, size_t n) {
  return val::global(type).new_(emscripten::typed_memory_view(n, p));
}
template <typename T>
val js(const T& v) {
  return val(v);
}
val js(const std::vector<float>& v) { return typed("Float32Array", v.data(), v.size()); }
val js(const std::vector<int>& v) { return typed("Int32Array", v.data(), v.size()); }
val js(const std::vector<double>& v) { return val::array(v); }
val js(const char* v) { return val(std::string(v)); }
void set_fields(val&) {}
template <typename T, typename... Rest>
void set_fields(val& o, const char* key, const T& v, const Rest&... rest) {
  o.set(key, js(v)), set_fields(o, rest...);
}
template <typename... Fields>
val object(const Fields&... fields) {
  val o = val::object();
  return set_fields(o, fields...), o;
}

InferMode infer_mode(bool train_batch) { return train_batch ? InferMode::TrainBatch : InferMode::Eval; }

// The parameters and buffers of a model, by state_dict name (gradients: those of the last backward pass).
int tensor_id(const TensorTable& t, const val& name) {
  int id = -1;
  NL_TRY(is_string(name, "name", "a parameter name such as \"0.weight\""));
  NL_TRY(t.lookup(name.as<std::string>(), &id));
  return id;
}
val tensor_values(TensorTable& t, const val& name, bool gradient) {
  const int id = tensor_id(t, name);
  const TensorEntry& e = t.entries()[id];
  if (gradient && e.role == TensorRole::Buffer)
    return val::global("Float32Array").new_(e.size);  // buffers: zeros
  return typed("Float32Array", gradient ? t.grad(id) : t.value(id), e.size);
}
// Writes a parameter or buffer (e.g. from a model file); on any problem it names it and changes nothing.
void tensor_assign(TensorTable& t, const val& name, const val& values) {
  NL_TRY(is_string(name, "name", "a parameter name such as \"0.weight\""));
  NL_TRY(numbers_in(values, "values", &g_x));
  NL_TRY(t.assign(name.as<std::string>(), g_x.data(), g_x.size()));
}

Model* create_model(val json, double seed) {
  static std::unique_ptr<Model> built;
  NL_TRY(is_string(json, "model"));
  NL_TRY(Model::create(json.as<std::string>(), seed, &built));
  return built.release();
}
double train_step(Model& m, val x, val y, Optimizer& opt) {
  double loss = 0;
  NL_TRY(numbers_in(x, "x", &g_x));
  NL_TRY(numbers_in(y, "y", &g_y));
  NL_TRY(m.train_step(g_x.data(), g_x.size(), g_y.data(), g_y.size(), opt, &loss));
  return loss;
}
double compute_gradients(Model& m, val x, val y) {
  double loss = 0;
  NL_TRY(numbers_in(x, "x", &g_x));
  NL_TRY(numbers_in(y, "y", &g_y));
  NL_TRY(m.compute_gradients(g_x.data(), g_x.size(), g_y.data(), g_y.size(), &loss));
  return loss;
}
// The Lab: runs in lockstep on one dataset (core/lab.h).
Run& run_of(Lab& lab, int index) {
  NL_TRY(lab.check_index(index));
  return lab.run(index);
}
TensorTable& tensors(Lab& lab, int index) { return run_of(lab, index).model->tensors(); }
void replace_run(Lab& lab, int index, val model_json, val optimizer_json) {
  NL_TRY(is_string(model_json, "model"));
  NL_TRY(is_string(optimizer_json, "optimizer"));
  NL_TRY(lab.replace_run(index, model_json.as<std::string>(), optimizer_json.as<std::string>()));
}
int add_run(Lab& lab, val model_json, val optimizer_json) {
  int index = -1;
  NL_TRY(is_string(model_json, "model"));
  NL_TRY(is_string(optimizer_json, "optimizer"));
  NL_TRY(lab.add_run(model_json.as<std::string>(), optimizer_json.as<std::string>(), &index));
  return index;
}
// The last step of a run: {loss, accuracy, rows, stopped, error, stepSeconds}.
val run_state(Lab& lab, int index) {
  const Run& r = run_of(lab, index);
  return object("loss", r.last_loss(), "accuracy", r.last_accuracy(), "rows", r.rows, "stopped", r.stopped,
                "error", r.error, "stepSeconds", r.step_seconds);
}
val evaluate(Lab& lab, int index, bool test_set, bool train_batch) {
  double loss, accuracy;
  NL_TRY(lab.evaluate_run(index, test_set, infer_mode(train_batch), &loss, &accuracy));
  return object("loss", loss, "accuracy", accuracy);
}
val grid(Lab& lab, int i, int w, int h, double x0, double x1, double y0, double y1, bool train_batch) {
  NL_TRY(lab.grid(i, w, h, x0, x1, y0, y1, infer_mode(train_batch), &g_out));
  return js(g_out);
}
// Eval-mode logits of a run for rows of x (side-effect free): what the exported PyTorch model must give.
val logits(Lab& lab, int i, val x) {
  NL_TRY(numbers_in(x, "x", &g_x));
  NL_TRY(lab.logits(i, g_x.data(), g_x.size(), &g_out));
  return js(g_out);
}
// BatchNorm step by step: one feature of top-level BatchNorm layer `layer` on the last training batch.
val batchnorm_trace(Lab& lab, int index, int layer, int feature) {
  NL_TRY(lab.batchnorm_trace(index, layer, feature, &g_trace));
  const BatchNormTrace& t = g_trace;
  return object("rows", t.rows, "x", t.x, "xhat", t.xhat, "y", t.y, "evalY", t.eval_y, "mean", t.mean, "var",
                t.var, "varUnbiased", t.var_unbiased, "rstd", t.rstd, "gamma", t.gamma, "beta", t.beta, "eps",
                t.eps, "momentum", t.momentum, "runningMeanBefore", t.running_mean_before, "runningVarBefore",
                t.running_var_before, "runningMean", t.running_mean, "runningVar", t.running_var);
}
// What the lessons draw, for the last training batch: {activations: [{layer, type, mean, std, saturated}],
// gradNorms: [{name, norm}], norms: [{layer, type, mean: Float32Array, var: Float32Array, usedRunning}]}
val diagnostics(Lab& lab, int index) {
  run_of(lab, index);
  const Diagnostics d = lab.diagnostics(index);
  val acts = val::array(), grads = val::array(), norms = val::array();
  for (const LayerDiagnostics& l : d.layers) {
    const char* type = layer_kind_name(l.kind);
    const ActivationStats& a = l.act;
    acts.call<void>("push", object("layer", l.layer, "type", type, "mean", a.mean, "std", a.std, "saturated",
                                   a.saturated));
    if (l.norm)
      norms.call<void>("push", object("layer", l.layer, "type", type, "mean", l.norm->mean, "var",
                                      l.norm->var, "usedRunning", l.norm->used_running));
  }
  for (const GradNorm& g : d.grad_norms) grads.call<void>("push", object("name", g.name, "norm", g.norm));
  return object("activations", acts, "gradNorms", grads, "norms", norms);
}
val dataset(const Dataset& d) { return object("x", d.x, "y", d.y, "rows", d.rows); }
// The normalization inspector: a JSON spec {norm, shape, groups, eps, x, gamma, beta} (see core/inspect.h).
val inspect_norm_js(val json) {
  const InspectResult& r = g_inspect;
  NL_TRY(is_string(json, "inspect"));
  NL_TRY(inspect_norm(json.as<std::string>(), &g_inspect));
  return object("stats", r.stats, "groupOf", r.group_of, "mean", r.mean, "var", r.var, "rstd", r.rstd,
                "rstdOutside", r.rstd_outside, "xhat", r.xhat, "y", r.y, "rowMeanX", r.row_mean_x, "rowVarX",
                r.row_var_x, "rowMeanY", r.row_mean_y, "rowVarY", r.row_var_y, "rowVarYBiased",
                r.row_var_y_biased);
}
}  // namespace

// The binding table, laid out by hand. GET(name, expression): a method that reads a value of the object `h`.
// clang-format off
#define GET(name, expr) .function(#name, +[](H& h) { return expr; })
EMSCRIPTEN_BINDINGS(normlab) {
  using namespace emscripten;
  {
    using H = Model;
    class_<Model>("Model")
        .constructor(&create_model, allow_raw_pointers())
        .constructor(+[](val json) { return create_model(json, 0); }, allow_raw_pointers())
        .function("forward", +[](Model& m, val x) {
          NL_TRY(numbers_in(x, "x", &g_x));
          NL_TRY(m.forward(g_x.data(), g_x.size(), &g_out));
          return js(g_out);
        })
        // Class probabilities, side-effect free: eval mode, or BatchNorm with the last training batch's statistics.
        .function("predictProba", +[](Model& m, val x, bool train_batch) {
          NL_TRY(numbers_in(x, "x", &g_x));
          NL_TRY(m.predict_proba(g_x.data(), g_x.size(), infer_mode(train_batch), &g_out));
          return js(g_out);
        })
        .function("trainStep", &train_step).function("computeGradients", &compute_gradients)
        .function("getParameter", +[](Model& m, val name) { return tensor_values(m.tensors(), name, false); })
        .function("getGradient", +[](Model& m, val name) { return tensor_values(m.tensors(), name, true); })
        .function("setParameter", +[](Model& m, val name, val v) { tensor_assign(m.tensors(), name, v); })
        .function("parameterShape", +[](Model& m, val name) {
          return val::array(m.tensors().entries()[tensor_id(m.tensors(), name)].shape);
        })
        .function("setTraining", &Model::set_training)
        .function("manualSeed", +[](Model& m, double seed) { m.generator().manual_seed(uint64_t(seed)); })
        GET(parameterNames, val::array(h.tensors().names())) GET(training, h.training()) GET(input, h.input())
        GET(classes, h.classes()) GET(parameterCount, double(h.tensors().params().size()))
        GET(spec, model_spec_to_json(h.spec()));
  }
  {
    using H = Optimizer;
    class_<Optimizer>("Optimizer")
        .constructor(+[](Model& model, val json) {
          OptimizerSpec spec;  // plain numbers: nothing to leak if it throws
          NL_TRY(is_string(json, "optimizer"));
          NL_TRY(parse_optimizer_spec(json.as<std::string>(), &spec));
          return new Optimizer(spec, model.tensors().params().size());
        }, allow_raw_pointers())
        .function("reset", &Optimizer::reset)
        .function("setLearningRate", +[](Optimizer& o, double lr) { NL_TRY(o.set_learning_rate(lr)); })
        GET(steps, double(h.steps())) GET(spec, optimizer_spec_to_json(h.spec()));
  }
  {
    using H = Lab;
    class_<Lab>("Lab")
        .constructor<>()
        .function("setData", +[](Lab& lab, val json) {
          NL_TRY(is_string(json, "data"));
          NL_TRY(lab.set_data(json.as<std::string>()));  // changes nothing when it fails
        })
        .function("setBatchSize", +[](Lab& lab, int batch) { NL_TRY(lab.set_batch_size(batch)); })
        .function("setInitMode", +[](Lab& lab, val mode) {
          NL_TRY(is_string(mode, "init", "\"shared\" or \"sequential\""));
          NL_TRY(lab.set_init_mode(mode.as<std::string>()));
        })
        .function("addRun", &add_run).function("replaceRun", &replace_run)
        .function("removeRun", +[](Lab& lab, int index) { NL_TRY(lab.remove_run(index)); })
        .function("reset", +[](Lab& lab, double seed) {
          NL_TRY(check_seed(seed));
          NL_TRY(lab.reset(uint32_t(seed)));
        })
        .function("step", +[](Lab& lab, int count) { return lab.step(count); })  // stops at an epoch's end
        .function("runState", &run_state).function("evaluate", &evaluate).function("grid", &grid)
        .function("logits", &logits).function("batchNormTrace", &batchnorm_trace).function("diagnostics", &diagnostics)
        .function("parameterNames", +[](Lab& lab, int i) { return val::array(tensors(lab, i).names()); })
        .function("getParameter", +[](Lab& lab, int i, val name) { return tensor_values(tensors(lab, i), name, false); })
        .function("setParameter", +[](Lab& lab, int i, val name, val v) { tensor_assign(tensors(lab, i), name, v); })
        .function("modelSpec", +[](Lab& lab, int i) { return model_spec_to_json(run_of(lab, i).model_spec); })
        GET(epochSummary, object("epoch", double(h.last_summary().epoch), "meanLoss", h.last_summary().mean_loss,
                                 "trainAccuracy", h.last_summary().train_accuracy))
        GET(trainData, dataset(h.train())) GET(testData, dataset(h.test())) GET(lastBatch, js(h.last_batch()))
        GET(dataSpec, data_spec_to_json(h.data_spec())) GET(batchSize, h.batch_size()) GET(runCount, h.run_count())
        GET(seed, double(h.seed())) GET(epochEnded, h.epoch_ended()) GET(stepCount, double(h.steps_done()))
        GET(epoch, double(h.epoch())) GET(stepInEpoch, h.step_in_epoch()) GET(stepsPerEpoch, h.steps_per_epoch());
  }
  function("inspectNorm", &inspect_norm_js);
  function("randn", +[](double seed, int n) {  // torch.manual_seed(seed); torch.randn(n)
    NL_TRY(torch_randn(seed, n, &g_out));
    return js(g_out);
  });
  function("limits", &limits_json);  // every limit the engine checks (core/limits_table.h), as JSON
  // Memory, for the tests that keep it flat: the wasm memory size, and the bytes malloc has handed out.
  function("heapSize", +[] { return val::module_property("HEAPU8")["length"].as<double>(); });
  function("heapUsed", +[] { return double(mallinfo().uordblks); });
}
// clang-format on
