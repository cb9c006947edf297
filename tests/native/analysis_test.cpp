// Why normalization helps (issue #15): a model's init_scale, Lab::scale_weights, Lab::weight_norms and
// Lab::smoothness, natively. PyTorch's own numbers: analysis_golden_test.cpp.
#include <cmath>
#include <limits>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using testing::model_spec;
using testing::optimizer_spec;

// Two hidden layers of 16: linear, [norm], relu; then linear(2). `norm`: a layer's JSON, or "" for none.
std::string mlp(const std::string& norm) {
  std::string hidden;
  for (int i = 0; i < 2; ++i) hidden += R"({"type": "linear", "out": 16}, )" + (norm.empty() ? "" : norm + ", ") + R"({"type": "relu"}, )";
  return R"({"input": 2, "layers": [)" + hidden + R"({"type": "linear", "out": 2}]})";
}
const std::string kBN = R"({"type": "batchnorm"})", kLN = R"({"type": "layernorm"})";

// Model + optimizer JSON pairs trained side by side on moons (test_fraction 0) with batch 32.
std::unique_ptr<Lab> make_lab(const std::vector<std::pair<std::string, std::string>>& runs, uint32_t seed = 0, int points = 256) {
  auto lab = std::make_unique<Lab>();
  DataSpec data;
  data.points = points;
  data.test_fraction = 0;
  EXPECT_TRUE(lab->set_data(data).ok());
  EXPECT_TRUE(lab->set_batch_size(32).ok());
  for (const auto& [model, opt] : runs) {
    int index = -1;
    Status s = lab->add_run(model, opt, &index);
    EXPECT_TRUE(s.ok()) << s.message();
  }
  EXPECT_TRUE(lab->reset(seed).ok());
  return lab;
}

// Everything a run holds: parameters, buffers, gradients, optimizer state.
std::vector<float> run_state(Lab& lab, int r) {
  Run& run = lab.run(r);
  TensorTable& t = run.model->tensors();
  std::vector<float> all = t.params();
  for (const std::vector<float>* v : std::initializer_list<const std::vector<float>*>{&t.buffers(), &t.grads(), &run.optimizer->exp_avg(),
                                                                                      &run.optimizer->exp_avg_sq()})
    all.insert(all.end(), v->begin(), v->end());
  return all;
}

void expect_error(const Status& s, const std::string& field, const std::string& message_part) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field(), field) << s.message();
  EXPECT_EQ(s.message().rfind(field + ": ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(message_part), std::string::npos) << s.message();
}

TEST(InitScale, IsParsedValidatedAndWrittenBack) {
  ModelSpec spec;
  ASSERT_TRUE(parse_model_spec(mlp(""), &spec).ok());
  EXPECT_EQ(spec.init_scale, 1);
  EXPECT_EQ(model_spec_to_json(spec).find("init_scale"), std::string::npos);  // the default is not written
  const std::string body = mlp("").substr(1);
  for (const char* ok : {"0.1", "10", "2.5"}) {
    ASSERT_TRUE(parse_model_spec(std::string(R"({"init_scale": )") + ok + ", " + body, &spec).ok()) << ok;
    EXPECT_EQ(spec.init_scale, std::stod(ok));
    ModelSpec back;
    ASSERT_TRUE(parse_model_spec(model_spec_to_json(spec), &back).ok());
    EXPECT_EQ(back.init_scale, spec.init_scale);
  }
  for (const char* bad : {"0.0999", "10.001", "0", "-2"})
    expect_error(parse_model_spec(std::string(R"({"init_scale": )") + bad + ", " + body, &spec), "init_scale",
                 std::string("must be in [0.1, 10], got ") + (bad[0] == '0' && bad[1] == '\0' ? "0" : bad));
  expect_error(parse_model_spec(R"({"init_scale": "2", )" + body, &spec), "init_scale", "must be a number");
  ModelSpec built = model_spec(mlp(""));  // specs built in code are checked too
  built.init_scale = std::numeric_limits<double>::quiet_NaN();
  expect_error(validate_model_spec(&built), "init_scale", "must be in [0.1, 10]");
}

TEST(InitScale, ScalesEveryLinearLayerAfterTheSameDraws) {
  const std::string layers = R"("input": 3, "layers": [{"type": "linear", "out": 8}, {"type": "batchnorm"}, {"type": "relu"},
      {"type": "residual", "layers": [{"type": "linear", "out": 8}, {"type": "tanh"}, {"type": "linear", "out": 8, "bias": false}]},
      {"type": "layernorm"}, {"type": "linear", "out": 3}]})";
  std::unique_ptr<Model> plain, one, scaled;
  ASSERT_TRUE(Model::create(model_spec("{" + layers), 42, &plain).ok());
  ASSERT_TRUE(Model::create(model_spec(R"({"init_scale": 1, )" + layers), 42, &one).ok());
  ASSERT_TRUE(Model::create(model_spec(R"({"init_scale": 3.7, )" + layers), 42, &scaled).ok());
  EXPECT_EQ(one->tensors().params(), plain->tensors().params());  // init_scale 1 is PyTorch's init, bit for bit
  EXPECT_EQ(one->tensors().buffers(), plain->tensors().buffers());
  EXPECT_EQ(linear_layer_names(scaled->spec().layers), (std::vector<std::string>{"0", "3.0", "3.2", "5"}));
  const float s = 3.7f;
  for (const TensorEntry& e : plain->tensors().entries()) {
    const float* a = plain->tensors().value(plain->tensors().find(e.name));
    const float* b = scaled->tensors().value(scaled->tensors().find(e.name));
    const bool linear = e.name == "0.weight" || e.name == "0.bias" || e.name.rfind("3.", 0) == 0 || e.name.rfind("5.", 0) == 0;
    for (size_t k = 0; k < e.size; ++k) EXPECT_EQ(b[k], linear ? a[k] * s : a[k]) << e.name << "[" << k << "]";
  }
  // The same draws: both generators are in the same state afterwards.
  EXPECT_EQ(plain->generator().random(), scaled->generator().random());
}

TEST(ScaleWeights, MultipliesOneLinearLayerAndKeepsTheOptimizerState) {
  auto lab = make_lab({{mlp(kBN), R"({"type": "sgd", "lr": 0.1, "momentum": 0.9})"}, {mlp(""), R"({"type": "adam", "lr": 0.01})"}});
  lab->step(4);
  for (int r = 0; r < 2; ++r) {
    const std::string layer = r == 0 ? "3" : "2";  // each run's second linear layer
    const std::vector<float> before = run_state(*lab, r);
    const std::vector<float> w = lab->run(r).model->tensors().params();
    ASSERT_TRUE(lab->scale_weights(r, layer, 2.5).ok());
    const TensorTable& t = lab->run(r).model->tensors();
    for (const TensorEntry& e : t.entries()) {
      if (e.role != TensorRole::Parameter) continue;
      const bool scaled = e.name == layer + ".weight" || e.name == layer + ".bias";
      for (size_t k = 0; k < e.size; ++k)
        ASSERT_EQ(t.value(t.find(e.name))[k], scaled ? w[e.offset + k] * 2.5f : w[e.offset + k]) << e.name;
    }
    // Buffers, gradients, momentum and Adam's moments: untouched (only the parameter block moved).
    const std::vector<float> after = run_state(*lab, r);
    EXPECT_TRUE(std::equal(before.begin() + w.size(), before.end(), after.begin() + w.size()));
  }
  // Inside a residual block: the state_dict prefix.
  auto res = make_lab({{R"({"input": 2, "layers": [{"type": "linear", "out": 8}, {"type": "residual", "layers": [
      {"type": "layernorm"}, {"type": "linear", "out": 8}, {"type": "relu"}, {"type": "linear", "out": 8}]}, {"type": "linear", "out": 2}]})",
                        R"({"type": "sgd", "lr": 0.1})"}});
  TensorTable& t = res->run(0).model->tensors();
  const float w0 = t.value(t.find("1.3.weight"))[0], b0 = t.value(t.find("1.3.bias"))[0];
  ASSERT_TRUE(res->scale_weights(0, "1.3", -0.5).ok());
  EXPECT_EQ(t.value(t.find("1.3.weight"))[0], w0 * -0.5f);
  EXPECT_EQ(t.value(t.find("1.3.bias"))[0], b0 * -0.5f);
}

TEST(ScaleWeights, ErrorsNameTheProblemAndChangeNothing) {
  auto lab = make_lab({{mlp(kBN), R"({"type": "adam", "lr": 0.01})"}});
  lab->step(2);
  lab->run(0).model->tensors().value(lab->run(0).model->tensors().find("6.bias"))[1] = 2;  // |2·3e38| overflows
  const std::vector<float> before = run_state(*lab, 0);
  struct Bad { int run; const char* layer; double alpha; const char* field; const char* says; };
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  for (const Bad& b : {Bad{1, "0", 2, "run", "no run 1"}, Bad{-1, "0", 2, "run", "no run -1"},
                       Bad{0, "1", 2, "layer", "layer 1 is a batchnorm layer, not a linear one (its linear layers: 0, 3, 6)"},
                       Bad{0, "7", 2, "layer", "this model has no layer \"7\" (its linear layers: 0, 3, 6)"},
                       Bad{0, "0.1", 2, "layer", "no layer \"0.1\""}, Bad{0, "", 2, "layer", "no layer \"\""},
                       Bad{0, "0", 0, "alpha", "must be a finite number other than 0"}, Bad{0, "0", nan, "alpha", "got nan"},
                       Bad{0, "0", inf, "alpha", "got inf"}, Bad{0, "0", 1e-50, "alpha", "(as a float32), got 1e-50"},
                       Bad{0, "0", 1e39, "alpha", "got 1e+39"},
                       Bad{0, "6", 3e38, "alpha", "scaling 6.bias by 3e+38 overflows float32 (6.bias[1] would be infinite); nothing was changed"}}) {
    SCOPED_TRACE(std::string(b.layer) + " × " + std::to_string(b.alpha));
    expect_error(lab->scale_weights(b.run, b.layer, b.alpha), b.field, b.says);
    EXPECT_EQ(run_state(*lab, 0), before);
  }
}

// Two identical labs; in the second, `layer` of each run is scaled by alpha after `steps` steps. Returns the
// relative change of each run's loss on the next batch.
std::vector<double> next_loss_change(const std::vector<std::pair<std::string, std::string>>& runs,
                                     const std::vector<std::string>& layers, double alpha, int steps = 10) {
  auto a = make_lab(runs), b = make_lab(runs);
  a->step(steps), b->step(steps);
  for (int r = 0; r < a->run_count(); ++r) EXPECT_TRUE(b->scale_weights(r, layers[r], alpha).ok());
  a->step(1), b->step(1);
  std::vector<double> change;
  for (int r = 0; r < a->run_count(); ++r) change.push_back(std::fabs(b->run(r).loss - a->run(r).loss) / a->run(r).loss);
  return change;
}

TEST(ScaleWeights, BeforeBatchNormTheNextLossIsTheSame) {
  const std::string sgd = R"({"type": "sgd", "lr": 0.1})";
  // A linear layer followed by BatchNorm (training mode) is scale-invariant but for ε:
  //     BN(αx) = (αx − αμ)/√(α²σ² + ε) = (x − μ)/√(σ² + ε/α²).
  // With an ε far below every σ² the next loss is the same to float rounding, for any α > 0 that keeps α²σ² ≫ ε.
  const std::string tiny_eps = mlp(R"({"type": "batchnorm", "eps": 1e-10})");
  for (double alpha : {1e3, 8.0, 1.7, 0.125}) {
    const auto change = next_loss_change({{tiny_eps, sgd}, {mlp(""), sgd}}, {"3", "2"}, alpha);
    EXPECT_LE(change[0], 1e-6) << "BatchNorm(eps 1e-10), α = " << alpha;
    EXPECT_GE(change[1], 1e-2) << "no normalization, α = " << alpha;  // without BatchNorm the loss changes
  }
  // PyTorch's ε = 1e-5 against this layer's smallest batch variance (≈ 0.012): the unscaled run's own ε/(2σ²)
  // (≈ 4e-4 for that feature) is what α removes, so for α ≥ 1 the loss moves by ≈ 5e-5, whatever α.
  for (double alpha : {1e3, 8.0, 1.7}) EXPECT_LE(next_loss_change({{mlp(kBN), sgd}}, {"3"}, alpha)[0], 1e-4) << alpha;
  // For α < 1, ε/α² grows: 0.125 moves the loss by ≈ 3e-3; at 1e-3, α²σ² is below ε and the layer's output
  // collapses (≈ 90 %).
  const double small = next_loss_change({{mlp(kBN), sgd}}, {"3"}, 0.125)[0];
  const double tiny = next_loss_change({{mlp(kBN), sgd}}, {"3"}, 1e-3)[0];
  EXPECT_GT(small, 1e-3);
  EXPECT_LT(small, 1e-2);
  EXPECT_GT(tiny, 0.1);
  // A linear layer whose output is not normalized (the last one) changes the loss.
  EXPECT_GE(next_loss_change({{mlp(kBN), sgd}}, {"6"}, 8)[0], 1e-2);
}

TEST(ScaleWeights, EvalModeIsNotInvariant) {
  auto a = make_lab({{mlp(kBN), R"({"type": "sgd", "lr": 0.1})"}});
  auto b = make_lab({{mlp(kBN), R"({"type": "sgd", "lr": 0.1})"}});
  a->step(20), b->step(20);
  ASSERT_TRUE(b->scale_weights(0, "3", 4).ok());
  double la, lb, acc;
  // Eval mode normalizes with running statistics of the old scale: the outputs change (until they catch up,
  // momentum 0.1 a step). TrainBatch inference keeps the last batch's statistics, also of the old scale.
  for (InferMode mode : {InferMode::Eval, InferMode::TrainBatch}) {
    a->evaluate(0, false, mode, &la, &acc), b->evaluate(0, false, mode, &lb, &acc);
    EXPECT_GE(std::fabs(lb - la) / la, 1e-2);
  }
}

TEST(WeightNorms, AreFrobeniusNormsWithTheEffectiveLearningRate) {
  auto lab = make_lab({{mlp(kLN), R"({"type": "sgd", "lr": 0.3})"}});
  lab->step(3);
  std::vector<WeightNorm> norms;
  ASSERT_TRUE(lab->weight_norms(0, &norms).ok());
  ASSERT_EQ(norms.size(), 3u);
  const TensorTable& t = lab->run(0).model->tensors();
  for (const WeightNorm& w : norms) {
    const int id = t.find(w.name);
    ASSERT_GE(id, 0) << w.name;
    double ss = 0;
    for (size_t k = 0; k < t.entries()[id].size; ++k) ss += double(t.value(id)[k]) * t.value(id)[k];
    EXPECT_EQ(w.norm, std::sqrt(ss));
    EXPECT_EQ(w.effective_lr, 0.3 / ss);
  }
  EXPECT_EQ(norms[1].name, "3.weight");
  ASSERT_TRUE(lab->scale_weights(0, "3", 2).ok());  // ×2 is exact: the norm doubles, lr/‖W‖² is a quarter
  std::vector<WeightNorm> after;
  ASSERT_TRUE(lab->weight_norms(0, &after).ok());
  EXPECT_EQ(after[1].norm, 2 * norms[1].norm);
  EXPECT_DOUBLE_EQ(after[1].effective_lr, norms[1].effective_lr / 4);
  EXPECT_EQ(after[0].norm, norms[0].norm);
  expect_error(lab->weight_norms(3, &after), "run", "no run 3");
}

}  // namespace
}  // namespace normlab
