// The binding table: Embind over the core's Model, Optimizer and Lab, and the functions behind it. It converts
// types and nothing else (the conversions and the error rules: glue.h).
#include <emscripten.h>
#include <malloc.h>

#include "glue.h"
#include "inspect.h"

using namespace glue;

EM_JS(void, js_throw_error, (const char* message, const char* field),
      { throw Object.assign(new Error(UTF8ToString(message)), {field : UTF8ToString(field)}); });
void glue::raise() { js_throw_error(g_message.c_str(), g_field.c_str()); }

namespace {
InspectResult g_inspect;  // scratch for what is returned
BatchNormTrace g_trace;
std::vector<LayerOutput> g_layers;

// The parameters and buffers of a model, by state_dict name (gradients: those of the last backward pass).
int tensor_id(const TensorTable& t, val name) {
  int id = -1;
  NL_TRY(name_in(std::move(name)));
  NL_TRY(t.lookup(taken(&g_text), &id));
  return id;
}
val tensor_values(const TensorTable& t, int id, bool gradient) {
  const TensorEntry& e = t.entries()[id];
  if (gradient && e.role == TensorRole::Buffer) return val::global("Float32Array").new_(e.size);  // zeros
  return typed("Float32Array", gradient ? t.grads().data() + e.offset : t.value(id), e.size);
}
// Writes a parameter or buffer (e.g. a model file's); reads the JS values before choosing the table (may
// fail).
template <typename Table>
void tensor_assign(val name, val values, Table table) {
  NL_TRY(first_error(name_in(std::move(name)), numbers_in(std::move(values), "values", &g_x)));
  NL_TRY(table().assign(taken(&g_text), g_x.data(), g_x.size()));
}

Model* create_model(val json, double seed) {
  static std::unique_ptr<Model> built;
  NL_TRY(text_in(std::move(json), "model", &g_text));
  NL_TRY(Model::create(taken(&g_text), seed, &built));
  return built.release();
}
// trainStep (with an optimizer) or computeGradients (without): the mean cross-entropy before any update.
double step_on(Model& m, val x, val y, Optimizer* opt) {
  double loss = 0;
  NL_TRY(first_error(numbers_in(std::move(x), "x", &g_x), numbers_in(std::move(y), "y", &g_y)));
  NL_TRY(opt ? m.train_step(g_x.data(), g_x.size(), g_y.data(), g_y.size(), *opt, &loss)
             : m.compute_gradients(g_x.data(), g_x.size(), g_y.data(), g_y.size(), &loss));
  return loss;
}
// The Lab: runs in lockstep on one dataset (core/lab.h). Run indices arrive as numbers (see int_in).
Run& run_of(Lab& lab, double index) {
  NL_TRY(lab.check_index(int_in(index, "run")));
  return lab.run(static_cast<int>(index));
}
TensorTable& tensors(Lab& lab, double index) { return run_of(lab, index).model->tensors(); }
Status specs_in(val model_json, val optimizer_json) {  // both read (and released) whatever the first holds
  return first_error(text_in(std::move(model_json), "model", &g_text),
                     text_in(std::move(optimizer_json), "optimizer", &g_text2));
}
void replace_run(Lab& lab, double index, val model_json, val optimizer_json) {
  NL_TRY(specs_in(std::move(model_json), std::move(optimizer_json)));
  const int run = int_in(index, "run");  // before the texts are taken: a throw must find no string alive
  NL_TRY(lab.replace_run(run, taken(&g_text), taken(&g_text2)));
}
int add_run(Lab& lab, val model_json, val optimizer_json) {
  int index = -1;
  NL_TRY(specs_in(std::move(model_json), std::move(optimizer_json)));
  NL_TRY(lab.add_run(taken(&g_text), taken(&g_text2), &index));
  return index;
}
// The last step of a run: {loss, accuracy, rows, stopped, diverged, error, stepSeconds}.
val run_state(Lab& lab, double index) {
  const Run& r = run_of(lab, index);
  return object("loss", r.last_loss(), "accuracy", r.last_accuracy(), "rows", r.rows, "stopped", r.stopped,
                "diverged", r.diverged, "error", r.error, "stepSeconds", r.step_seconds);
}
val evaluate(Lab& lab, double index, bool test_set, bool train_batch) {
  double loss, accuracy;
  NL_TRY(lab.evaluate_run(int_in(index, "run"), test_set, infer_mode(train_batch), &loss, &accuracy));
  return object("loss", loss, "accuracy", accuracy);
}
val grid(Lab& lab, double i, double w, double h, double x0, double x1, double y0, double y1, bool batch) {
  const int run = int_in(i, "run"), width = int_in(w, "grid"), height = int_in(h, "grid");
  NL_TRY(lab.grid(run, width, height, x0, x1, y0, y1, infer_mode(batch), &g_out));
  return js(g_out);
}
// Eval-mode logits of a run for rows of x (side-effect free): what the exported PyTorch model must give.
val logits(Lab& lab, double i, val x) {
  NL_TRY(numbers_in(std::move(x), "x", &g_x));
  NL_TRY(lab.logits(int_in(i, "run"), g_x.data(), g_x.size(), &g_out));
  return js(g_out);
}
// Every top-level layer's own output for rows of x, side-effect free (Model::layer_outputs): [{index, type,
// features, values}], a normalization's also with mean, var, eps and groups (per row) or running (BatchNorm).
val layer_outputs(Lab& lab, double i, val x, bool train_batch) {
  NL_TRY(numbers_in(std::move(x), "x", &g_x));
  NL_TRY(lab.layer_outputs(int_in(i, "run"), g_x.data(), g_x.size(), infer_mode(train_batch), &g_layers));
  val list = val::array();
  for (const LayerOutput& l : g_layers) {
    const InferStats& s = l.stats;
    val o = object("index", list["length"], "type", layer_kind_name(l.kind), "features", l.features, "values",
                   l.values);
    if (l.normalizes)
      set_fields(o, "mean", s.mean, "var", s.var, "eps", s.eps, s.per_row ? "groups" : "running",
                 s.per_row ? val(s.per_row) : val(s.running));
    list.call<void>("push", o);
  }
  return g_layers.clear(), list;  // the values live on in JS only
}
// Logits of rows of x taken as training batches of `batch` rows (0: one batch), each on its own (Lab::train_mode_logits).
val train_mode_logits(Lab& lab, double i, val x, double batch) {
  NL_TRY(numbers_in(std::move(x), "x", &g_x));
  const int run = int_in(i, "run"), b = int_in(batch, "batch");
  NL_TRY(lab.train_mode_logits(run, g_x.data(), g_x.size(), b, &g_out));
  return js(g_out);
}
// `count` epochs' row orders as the lab's sampler draws them after torch.manual_seed(seed), as one Int32Array (the
// scratch is released: it can be large).
val sample_epochs(Lab& lab, double count, double seed) {
  static std::vector<int> orders;
  NL_TRY(lab.sample_epochs(int_in(count, "count"), seed, &orders));
  val out = js(orders);
  std::vector<int>().swap(orders);
  return out;
}
// BatchNorm step by step: one feature of top-level BatchNorm layer `layer` on the last training batch.
val batchnorm_trace(Lab& lab, double index, double layer, double feature) {
  const int run = int_in(index, "run"), l = int_in(layer, "layer"), f = int_in(feature, "feature");
  NL_TRY(lab.batchnorm_trace(run, l, f, &g_trace));
  const BatchNormTrace& t = g_trace;
  return object("rows", t.rows, "x", t.x, "xhat", t.xhat, "y", t.y, "evalY", t.eval_y, "mean", t.mean, "var",
                t.var, "varUnbiased", t.var_unbiased, "rstd", t.rstd, "gamma", t.gamma, "beta", t.beta, "eps",
                t.eps, "momentum", t.momentum, "runningMeanBefore", t.running_mean_before, "runningVarBefore",
                t.running_var_before, "runningMean", t.running_mean, "runningVar", t.running_var);
}
// What the lessons draw, for the last training batch: {activations: [{layer, type, mean, std, saturated}],
// gradNorms: [{name, norm}], norms: [{layer, type, mean: Float32Array, var: Float32Array, usedRunning}]}
val diagnostics(Lab& lab, double index) {
  const Run& r = run_of(lab, index);
  const Diagnostics d = r.model->diagnostics(r.rows);
  val acts = val::array(), grads = val::array(), norms = val::array();
  for (const LayerDiagnostics& l : d.layers) {
    const std::string type = layer_kind_name(l.kind);
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
  NL_TRY(text_in(std::move(json), "inspect", &g_text));
  NL_TRY(inspect_norm(taken(&g_text), &g_inspect));
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
        .constructor(+[](val json) { return create_model(std::move(json), 0); }, allow_raw_pointers())
        .function("forward", +[](Model& m, val x) { NL_TRY(numbers_in(std::move(x), "x", &g_x)); NL_TRY(m.forward(g_x.data(), g_x.size(), &g_out)); return js(g_out); })
        // Class probabilities, side-effect free: eval mode, or BatchNorm with the last training batch's statistics.
        .function("predictProba", +[](Model& m, val x, bool train_batch) { NL_TRY(numbers_in(std::move(x), "x", &g_x)); NL_TRY(m.predict_proba(g_x.data(), g_x.size(), infer_mode(train_batch), &g_out)); return js(g_out); })
        .function("trainStep", +[](Model& m, val x, val y, Optimizer& o) { return step_on(m, std::move(x), std::move(y), &o); })
        .function("computeGradients", +[](Model& m, val x, val y) { return step_on(m, std::move(x), std::move(y), nullptr); })
        .function("getParameter", +[](Model& m, val name) { return tensor_values(m.tensors(), tensor_id(m.tensors(), std::move(name)), false); })
        .function("getGradient", +[](Model& m, val name) { return tensor_values(m.tensors(), tensor_id(m.tensors(), std::move(name)), true); })
        .function("setParameter", +[](Model& m, val name, val v) { tensor_assign(std::move(name), std::move(v), [&]() -> TensorTable& { return m.tensors(); }); })
        .function("parameterShape", +[](Model& m, val name) { return val::array(m.tensors().entries()[tensor_id(m.tensors(), std::move(name))].shape); })
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
          NL_TRY(text_in(std::move(json), "optimizer", &g_text));
          NL_TRY(parse_optimizer_spec(taken(&g_text), &spec));
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
        .function("setData", +[](Lab& lab, val json) { NL_TRY(text_in(std::move(json), "data", &g_text)); NL_TRY(lab.set_data(taken(&g_text))); })  // all or nothing
        .function("setBatchSize", +[](Lab& lab, double batch) { NL_TRY(lab.set_batch_size(int_in(batch, "batch_size"))); })
        .function("setInitMode", +[](Lab& lab, val mode) {
          NL_TRY(text_in(std::move(mode), "init", &g_text, "\"shared\" or \"sequential\""));
          NL_TRY(lab.set_init_mode(taken(&g_text)));
        })
        // Batch composition (core/sampler.h): setSampler("shuffle" | "balanced" | "sorted" | "duplicates") restarts the runs
        .function("setSampler", +[](Lab& lab, val name) {
          NL_TRY(text_in(std::move(name), "sampler", &g_text, "one of \"shuffle\", \"balanced\", \"sorted\", \"duplicates\""));
          NL_TRY(lab.set_sampler(taken(&g_text)));
        })
        .function("sampler", +[](Lab& lab) { return std::string(sampler_name(lab.sampler())); })
        .function("sampleEpochs", &sample_epochs).function("trainModeLogits", &train_mode_logits)
        .function("trainModeLogits", +[](Lab& lab, double i, val x) { return train_mode_logits(lab, i, std::move(x), 0); })
        .function("addRun", &add_run).function("replaceRun", &replace_run)
        .function("removeRun", +[](Lab& lab, double index) { NL_TRY(lab.remove_run(int_in(index, "run"))); })
        .function("reset", +[](Lab& lab, double seed) { NL_TRY(check_seed(seed)); NL_TRY(lab.reset(uint32_t(seed))); })
        .function("step", +[](Lab& lab, double count) { return lab.step(int_in(count, "count")); })  // stops at an epoch's end
        .function("runState", &run_state).function("evaluate", &evaluate).function("grid", &grid).function("layerOutputs", &layer_outputs)
        .function("logits", &logits).function("batchNormTrace", &batchnorm_trace).function("diagnostics", &diagnostics)
        .function("parameterNames", +[](Lab& lab, double i) { return val::array(tensors(lab, i).names()); })
        .function("getParameter", +[](Lab& lab, double i, val name) {
          NL_TRY(name_in(std::move(name)));  // read (and released) before the run index can fail
          int id = -1;
          NL_TRY(tensors(lab, i).lookup(taken(&g_text), &id));
          return tensor_values(tensors(lab, i), id, false);
        })
        .function("setParameter", +[](Lab& lab, double i, val name, val v) { tensor_assign(std::move(name), std::move(v), [&]() -> TensorTable& { return tensors(lab, i); }); })
        .function("modelSpec", +[](Lab& lab, double i) { return model_spec_to_json(run_of(lab, i).model_spec); })
        // Why normalization helps (analysis.cpp): smoothness(i) or smoothness(i, options)
        .function("scaleWeights", &glue::scale_weights).function("weightNorms", &glue::weight_norms).function("smoothness", &glue::smoothness)
        .function("smoothness", +[](Lab& lab, double i) { return glue::smoothness(lab, i, val::undefined()); })
        GET(epochSummary, object("epoch", double(h.last_summary().epoch), "meanLoss", h.last_summary().mean_loss,
                                 "trainAccuracy", h.last_summary().train_accuracy))
        GET(trainData, dataset(h.train())) GET(testData, dataset(h.test())) GET(lastBatch, js(h.last_batch()))
        GET(dataSpec, data_spec_to_json(h.data_spec())) GET(batchSize, h.batch_size()) GET(runCount, h.run_count())
        GET(seed, double(h.seed())) GET(epochEnded, h.epoch_ended()) GET(stepCount, double(h.steps_done()))
        GET(epoch, double(h.epoch())) GET(stepInEpoch, h.step_in_epoch()) GET(stepsPerEpoch, h.steps_per_epoch());
  }
  function("inspectNorm", &inspect_norm_js);
  function("randn", +[](double seed, double n) { NL_TRY(torch_randn(seed, int_in(n, "n"), &g_out)); return js(g_out); });  // torch.manual_seed(seed); torch.randn(n)
  function("limits", &limits_json);  // every limit the engine checks (core/limits_table.h), as JSON
  // Memory, for the tests that keep it flat: the wasm memory size, and the bytes malloc has handed out.
  function("heapSize", +[] { return val::module_property("HEAPU8")["length"].as<double>(); });
  function("heapUsed", +[] { return double(mallinfo().uordblks); });
}
// clang-format on
