// Lab::smoothness and what it rests on (Model::clone, dropout's reused masks), natively. PyTorch's numbers:
// analysis_golden_test.cpp.
#include <cmath>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using testing::model_spec;

const char* kBnDropout = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "relu"},
    {"type": "dropout", "p": 0.3}, {"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
const char* kResidual = R"({"input": 2, "layers": [{"type": "linear", "out": 12}, {"type": "residual", "layers": [{"type": "layernorm"},
    {"type": "linear", "out": 12}, {"type": "tanh"}, {"type": "dropout", "p": 0.2}, {"type": "linear", "out": 12}]},
    {"type": "groupnorm", "groups": 3}, {"type": "gelu"}, {"type": "linear", "out": 2}]})";
const char* kRelu = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
const char* kTanh = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "tanh"}, {"type": "linear", "out": 16},
    {"type": "tanh"}, {"type": "linear", "out": 2}]})";

std::unique_ptr<Lab> make_lab(const std::vector<std::pair<std::string, std::string>>& runs) {
  auto lab = std::make_unique<Lab>();
  DataSpec data;
  data.points = 256;
  data.test_fraction = 0.25;
  EXPECT_TRUE(lab->set_data(data).ok());
  EXPECT_TRUE(lab->set_batch_size(32).ok());
  for (const auto& [model, opt] : runs) {
    int index = -1;
    EXPECT_TRUE(lab->add_run(model, opt, &index).ok());
  }
  EXPECT_TRUE(lab->reset(4).ok());
  return lab;
}

// What the lab shows of run r: its tensors and optimizer state, the lessons' diagnostics, BatchNorm's trace,
// every layer's output in train-batch mode and the train-batch boundary.
std::vector<double> observe(Lab& lab, int r) {
  Run& run = lab.run(r);
  TensorTable& t = run.model->tensors();
  std::vector<double> all(t.params().begin(), t.params().end());
  for (const std::vector<float>* v : std::initializer_list<const std::vector<float>*>{&t.buffers(), &t.grads(), &run.optimizer->exp_avg(),
                                                                                      &run.optimizer->exp_avg_sq()})
    all.insert(all.end(), v->begin(), v->end());
  const Diagnostics d = lab.diagnostics(r);
  for (const LayerDiagnostics& l : d.layers) {
    all.insert(all.end(), {l.act.mean, l.act.std, l.act.saturated});
    if (l.norm) all.insert(all.end(), l.norm->var.begin(), l.norm->var.end());
  }
  for (const GradNorm& g : d.grad_norms) all.push_back(g.norm);
  BatchNormTrace trace;
  if (lab.batchnorm_trace(r, 1, 3, &trace).ok()) all.insert(all.end(), trace.y.begin(), trace.y.end());
  std::vector<LayerOutput> outputs;
  EXPECT_TRUE(lab.layer_outputs(r, lab.train().x.data(), 40, InferMode::TrainBatch, &outputs).ok());
  for (const LayerOutput& o : outputs) all.insert(all.end(), o.values.begin(), o.values.end());
  std::vector<float> grid;
  EXPECT_TRUE(lab.grid(r, 6, 5, -2, 3, -1.5, 2, InferMode::TrainBatch, &grid).ok());
  all.insert(all.end(), grid.begin(), grid.end());
  return all;
}

TEST(Smoothness, ChangesNothing) {
  const std::vector<std::pair<std::string, std::string>> runs{
      {kBnDropout, R"({"type": "sgd", "lr": 0.1, "momentum": 0.9})"}, {kResidual, R"({"type": "adam", "lr": 0.01})"},
      {kTanh, R"({"type": "sgd", "lr": 0.5})"}};
  auto measured = make_lab(runs), plain = make_lab(runs);
  for (int step = 0; step < 23; ++step) {  // three epochs of 6 batches and a bit
    measured->step(1), plain->step(1);
    for (int r = 0; r < 3; ++r) {
      Smoothness s;
      SmoothnessOptions o;
      o.steps = 1 + step % 5, o.lr = step % 2 ? 0.3 : 0;
      ASSERT_TRUE(measured->smoothness(r, o, &s).ok());
      ASSERT_EQ(measured->run(r).loss, plain->run(r).loss) << "run " << r << " step " << step;
    }
  }
  for (int r = 0; r < 3; ++r) EXPECT_EQ(observe(*measured, r), observe(*plain, r)) << "run " << r;
}

TEST(Smoothness, FollowsTheGradientOfTheLastBatch) {
  auto lab = make_lab({{kTanh, R"({"type": "sgd", "lr": 0.1})"}});
  lab->step(5);
  Smoothness s;
  ASSERT_TRUE(lab->smoothness(0, SmoothnessOptions(), &s).ok());
  // The defaults: 8 step sizes 0.05·lr … 0.4·lr, and the summary over them.
  ASSERT_EQ(s.eta.size(), 8u);
  for (int k = 0; k < 8; ++k) EXPECT_NEAR(s.eta[k], 0.1 * 0.05 * (k + 1), 1e-15);
  double beta = 0;
  for (int k = 0; k < 8; ++k) beta = std::max(beta, s.grad_diffs[k] / (s.eta[k] * s.grad_norm));
  EXPECT_EQ(s.beta_smoothness, beta);
  EXPECT_EQ(s.loss_min, *std::min_element(s.losses.begin(), s.losses.end()));
  EXPECT_EQ(s.loss_max, *std::max_element(s.losses.begin(), s.losses.end()));
  EXPECT_EQ(s.grad_diff_max, *std::max_element(s.grad_diffs.begin(), s.grad_diffs.end()));
  // L(θ) is the loss of the last batch at the current parameters (no BatchNorm, no dropout: eval computes it too).
  std::vector<float> x;
  std::vector<int> y;
  for (int i : lab->last_batch()) x.insert(x.end(), {lab->train().x[2 * i], lab->train().x[2 * i + 1]}), y.push_back(lab->train().y[i]);
  double loss;
  int hits;
  lab->run(0).model->evaluate(x.data(), y.data(), static_cast<int>(y.size()), InferMode::Eval, &loss, &hits);
  EXPECT_NEAR(s.loss, loss, 1e-7 * loss);
  // Along −g the loss first falls by η‖g‖² (first order): a small step checks direction and gradient.
  SmoothnessOptions small;
  small.steps = 1, small.from = small.to = 0.01;  // η = 1e-3
  ASSERT_TRUE(lab->smoothness(0, small, &s).ok());
  EXPECT_NEAR((s.loss - s.losses[0]) / (s.eta[0] * s.grad_norm * s.grad_norm), 1.0, 2e-2);
  EXPECT_LT(s.grad_diffs[0], 1e-2 * s.grad_norm);
}

TEST(Smoothness, ErrorsSayWhy) {
  auto lab = make_lab({{kBnDropout, R"({"type": "sgd", "lr": 0.1})"}, {kRelu, R"({"type": "sgd", "lr": 1e35})"}});
  Smoothness s;
  Status st = lab->smoothness(0, SmoothnessOptions(), &s);
  EXPECT_EQ(st.message(), "smoothness: no training batch yet (take a step first)");
  lab->step(2);  // run 2 diverges
  ASSERT_TRUE(lab->run(1).stopped);
  st = lab->smoothness(1, SmoothnessOptions(), &s);
  EXPECT_EQ(st.field(), "run");
  EXPECT_EQ(st.message().rfind("run: run 2 has stopped (diverged", 0), 0u) << st.message();
  EXPECT_EQ(lab->smoothness(2, SmoothnessOptions(), &s).message(), "run: no run 2");
  // A model's own measurement needs dropout masks for the rows it is given.
  std::unique_ptr<Model> fresh = testing::make_model(kBnDropout);
  std::vector<float> x(8 * 2, 0.5f);
  std::vector<int> y(8, 1);
  EXPECT_EQ(measure_smoothness(*fresh, x.data(), y.data(), 8, 0.1, SmoothnessOptions(), &s).message(),
            "dropout: no masks for 8 rows (the last training batch had 0)");
}

TEST(Smoothness, OptionsAreChecked) {
  SmoothnessOptions o;
  ASSERT_TRUE(parse_smoothness_options(R"({"steps": 3, "from": 0.1, "to": 0.1, "lr": 2})", &o).ok());
  EXPECT_TRUE(o.steps == 3 && o.from == 0.1 && o.to == 0.1 && o.lr == 2);
  ASSERT_TRUE(parse_smoothness_options("{}", &o).ok());
  EXPECT_TRUE(o.steps == 8 && o.from == 0.05 && o.to == 0.4 && o.lr == 0);  // the defaults
  const std::pair<const char*, const char*> bad[] = {
      {R"({"steps": 0})", "steps: must be in [1, 64], got 0"}, {R"({"steps": 65})", "steps: must be in [1, 64], got 65"},
      {R"({"steps": 2.5})", "steps: must be an integer"}, {R"({"from": 0})", "from: must be in (0, inf), got 0"},
      {R"({"to": 0.01})", "to: must be at least from (0.05), got 0.01"}, {R"({"lr": -1})", "lr: must be in (0, inf), got -1"},
      {R"({"lr": null})", "lr: must be a finite number, got null"}, {R"({"size": 1})", "size: unknown field"}, {"[1]", "options: "}};
  for (const auto& [json, message] : bad) {
    const Status s = parse_smoothness_options(json, &o);
    EXPECT_EQ(s.message().rfind(message, 0), 0u) << json << " → " << s.message();
  }
}

TEST(Clone, IsADeepCopyThatTrainsTheSame) {
  std::unique_ptr<Model> m = testing::make_model(kResidual, 9);
  Optimizer opt(testing::optimizer_spec(R"({"type": "adam", "lr": 0.01})"), m->tensors().params().size());
  std::vector<float> x(24 * 2);
  std::vector<int> y(24);
  for (size_t k = 0; k < x.size(); ++k) x[k] = std::sin(0.7f * k);
  for (size_t k = 0; k < y.size(); ++k) y[k] = k % 2;
  double loss;
  ASSERT_TRUE(m->train_step(x.data(), y.data(), 24, opt, &loss).ok());
  std::unique_ptr<Model> c = m->clone();
  Optimizer copt = opt;
  const std::vector<float> before = m->tensors().params();
  double a, b;
  ASSERT_TRUE(c->train_step(x.data(), y.data(), 24, copt, &b).ok());
  EXPECT_EQ(m->tensors().params(), before);  // the copy's step leaves the original alone
  ASSERT_TRUE(m->train_step(x.data(), y.data(), 24, opt, &a).ok());
  EXPECT_EQ(a, b);  // … and is the step the original takes (same weights, caches and dropout draws)
  EXPECT_EQ(m->tensors().params(), c->tensors().params());
}

}  // namespace
}  // namespace normlab
