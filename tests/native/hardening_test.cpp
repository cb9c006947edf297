// Hostile and degenerate input (issue #12): NaN propagates as in PyTorch, a diverged evaluation is never a
// plausible number, and sizes and nesting are refused with a named error before anything is built.
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "lab.h"
#include "loss.h"
#include "test_util.h"

namespace normlab {
namespace {

using testing::make_model;
using testing::model_spec;
using testing::optimizer_spec;

const float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(NaN, ReluPassesNaNOnAsPyTorchDoes) {
  // linear → relu → linear: torch.relu(nan) is nan, so the output is NaN, not the last layer's bias.
  auto m = make_model(R"({"input": 2, "layers": [{"type": "linear", "out": 4}, {"type": "relu"}, {"type": "linear", "out": 2}]})");
  m->set_training(false);
  const float x[2] = {kNaN, 1};
  float out[2];
  ASSERT_TRUE(m->forward(x, 1, out).ok());
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
  m->set_training(true);
  ASSERT_TRUE(m->forward(x, 1, out).ok());
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
}

TEST(NaN, ReluStillZeroesNegativesAndKeepsPositives) {
  auto m = make_model(R"({"input": 5, "layers": [{"type": "relu"}, {"type": "linear", "out": 2}]})");
  const float x[5] = {-2, -0.0f, 0, 3, kNaN};
  m->set_training(true);
  float out[2];
  ASSERT_TRUE(m->forward(x, 1, out).ok());
  const float* y = m->net().output_of(0);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_EQ(y[2], 0.0f);
  EXPECT_EQ(y[3], 3.0f);
  EXPECT_TRUE(std::isnan(y[4]));
}

TEST(NaN, ArgmaxCountsNaNAsTheLargestLikeTorchArgmax) {
  // torch.argmax(torch.tensor([[1., nan, 3.], [nan, nan, 0.], [2., 5., 1.]]), 1) == [1, 0, 1]
  const float logits[9] = {1, kNaN, 3, kNaN, kNaN, 0, 2, 5, 1};
  const int hit1[3] = {1, 0, 1}, miss[3] = {2, 2, 0};
  int correct = -1;
  const double loss = cross_entropy(logits, hit1, 3, 3, nullptr, &correct);
  EXPECT_EQ(correct, 3);
  EXPECT_TRUE(std::isnan(loss));  // as F.cross_entropy on NaN logits
  cross_entropy(logits, miss, 3, 3, nullptr, &correct);
  EXPECT_EQ(correct, 0);
}

// The same on PyTorch's own answers (tests/golden/make_nan_golden.py).
TEST(NaN, ArgmaxMatchesTorchArgmaxOnTheGoldenLogits) {
  std::ifstream in(std::string(NORMLAB_SOURCE_DIR) + "/tests/golden/traces/nan.json");
  ASSERT_TRUE(in.good());
  const nlohmann::json golden = nlohmann::json::parse(in);
  auto num = [](const nlohmann::json& v) {
    if (v.is_number()) return v.get<float>();
    const std::string s = v.get<std::string>();
    return s == "NaN" ? kNaN : s == "Infinity" ? INFINITY : -INFINITY;
  };
  ASSERT_FALSE(golden["argmax"].empty());
  for (const auto& c : golden["argmax"]) {
    const auto& rows = c["logits"];
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<float> l;
      for (const auto& v : rows[r]) l.push_back(num(v));
      const int want = c["argmax"][r].get<int>();
      int correct = 0;
      cross_entropy(l.data(), &want, 1, static_cast<int>(l.size()), nullptr, &correct);
      EXPECT_EQ(correct, 1) << "row " << r << ": torch.argmax is " << want;
    }
  }
}

TEST(NaN, EvalBatchNormWithNegativeRunningVarGivesNaNNotANumber) {
  auto m = make_model(R"({"input": 2, "layers": [{"type": "linear", "out": 4}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})");
  const float var[4] = {-1, -1, -1, -1};
  ASSERT_TRUE(m->tensors().assign("1.running_var", var, 4).ok());
  m->set_training(false);
  const float x[2] = {0.5f, -0.5f};
  float out[2];
  ASSERT_TRUE(m->forward(x, 1, out).ok());
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
}

TEST(NaN, ADivergedEvaluationHasNoAccuracy) {
  Lab lab;
  DataSpec d;
  d.points = 200, d.test_fraction = 0.25;
  ASSERT_TRUE(lab.set_data(d).ok());
  int index;
  ASSERT_TRUE(lab.add_run(model_spec(R"({"input": 2, "layers": [{"type": "linear", "out": 4}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})"),
                          optimizer_spec(R"({"type": "adam", "lr": 0.01})"), &index).ok());
  double loss, accuracy;
  lab.evaluate(0, true, InferMode::Eval, &loss, &accuracy);
  EXPECT_TRUE(std::isfinite(loss) && std::isfinite(accuracy));
  const float var[4] = {-1, -1, -1, -1};
  ASSERT_TRUE(lab.run(0).model->tensors().assign("1.running_var", var, 4).ok());
  lab.evaluate(0, true, InferMode::Eval, &loss, &accuracy);
  EXPECT_TRUE(std::isnan(loss));
  EXPECT_TRUE(std::isnan(accuracy)) << "a plausible-looking accuracy: " << accuracy;
}

// Why a run stopped is data (Run::diverged), not a message to match: a runaway learning rate diverges, a
// batch of one under BatchNorm stops with PyTorch's error.
TEST(NaN, ARunSaysWhetherItDiverged) {
  const char* bn = R"({"input": 2, "layers": [{"type": "linear", "out": 4}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
  for (const auto& [optimizer, batch, diverged] : {std::tuple{R"({"type": "sgd", "lr": 1e30})", 32, true},
                                                    std::tuple{R"({"type": "adam"})", 1, false}}) {
    Lab lab;
    DataSpec d;
    d.points = 200;
    ASSERT_TRUE(lab.set_data(d).ok());
    ASSERT_TRUE(lab.set_batch_size(batch).ok());
    int index;
    ASSERT_TRUE(lab.add_run(model_spec(bn), optimizer_spec(optimizer), &index).ok());
    for (int i = 0; i < 20 && !lab.run(0).stopped; ++i) lab.step(nullptr);
    ASSERT_TRUE(lab.run(0).stopped) << optimizer;
    EXPECT_EQ(lab.run(0).diverged, diverged) << lab.run(0).error;
    ASSERT_TRUE(lab.reset(0).ok());
    EXPECT_FALSE(lab.run(0).stopped || lab.run(0).diverged);
  }
}

TEST(Limits, DeepNestingIsRefusedByItsDepthBeforeParsing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  ModelSpec spec;
  const Status s = parse_model_spec(deep, &spec);
  EXPECT_EQ(s.field(), "model");
  EXPECT_EQ(s.message(), "model: nested 100000 levels deep, more than the limit of 256");
  // Brackets inside strings do not count.
  const std::string in_string = R"({"input": 2, "layers": [{"type": ")" + std::string(1000, '[') + R"("}]})";
  EXPECT_EQ(parse_model_spec(in_string, &spec).field(), "layers[0].type");
}

TEST(Limits, OutputsAndTrainingBatchesAreBounded) {
  auto wide = make_model(R"({"input": 1, "layers": [{"type": "linear", "out": 1024}]})");
  int rows = 0;
  EXPECT_TRUE(wide->rows_of(kMaxValues / 1024, &rows).ok());
  const Status s = wide->rows_of(kMaxValues / 1024 + 1, &rows);
  EXPECT_EQ(s.field(), "x");
  EXPECT_NE(s.message().find("more than the limit of 16777216"), std::string::npos) << s.message();
  auto deep = make_model(R"({"input": 2, "layers": [{"type": "linear", "out": 1024}, {"type": "relu"}, {"type": "linear", "out": 2}]})");
  EXPECT_EQ(deep->spec().activations, 1024 + 1024 + 2);
  EXPECT_TRUE(deep->check_batch_rows(kMaxActivations / 2050).ok());
  EXPECT_EQ(deep->check_batch_rows(kMaxActivations / 2050 + 1).field(), "x");
}

TEST(Limits, GridOutputsAreBounded) {
  Lab lab;
  int index;
  ASSERT_TRUE(lab.add_run(model_spec(R"({"input": 2, "layers": [{"type": "linear", "out": 2}]})"),
                          optimizer_spec(R"({"type": "adam"})"), &index).ok());
  std::vector<float> out;
  EXPECT_TRUE(lab.grid(0, 2048, 2048, -1, 1, -1, 1, InferMode::Eval, &out).ok());
  EXPECT_EQ(out.size(), 2048u * 2048u * 2u);
}

}  // namespace
}  // namespace normlab
