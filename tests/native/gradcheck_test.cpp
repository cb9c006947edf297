// Finite-difference gradient checks: every layer (in training and, for BatchNorm, eval mode) and the loss.
// Each layer sits between two linear layers, so the check of the first linear layer's weight gradient also
// checks the layer's input gradient (dx), and the check of its own parameters checks dγ, dβ.
#include <cmath>
#include <vector>

#include "test_util.h"

namespace normlab {
namespace {

using testing::make_model;

struct Batch {
  std::vector<float> x;
  std::vector<int> y;
  int rows;
};

Batch make_batch(int rows, int input, int classes, uint64_t seed) {
  TorchGenerator g(seed);
  Batch b{std::vector<float>(static_cast<size_t>(rows) * input), std::vector<int>(rows), rows};
  for (auto& v : b.x) v = g.uniform_float(-2.0f, 2.0f);
  for (auto& v : b.y) v = static_cast<int>(g.random() % classes);
  return b;
}

// Loss with the dropout generator reseeded so every evaluation draws the same mask.
double loss_at(Model& m, const Batch& b) {
  m.generator().manual_seed(99);
  double loss = 0;
  Status s = m.compute_gradients(b.x.data(), b.y.data(), b.rows, &loss);
  EXPECT_TRUE(s.ok()) << s.message();
  return loss;
}

void check_gradients(const std::string& json, bool training, int rows = 8, float h = 2e-3f) {
  SCOPED_TRACE(json + (training ? " (train)" : " (eval)"));
  auto m = make_model(json, 5);
  m->set_training(training);
  const Batch b = make_batch(rows, m->input(), m->classes(), 17);
  // Give norm layers non-trivial affine parameters and running statistics.
  TorchGenerator g(3);
  for (const auto& e : m->tensors().entries()) {
    const int id = m->tensors().find(e.name);
    float* v = m->tensors().value(id);
    if (e.name.find("running_var") != std::string::npos)
      for (size_t k = 0; k < e.size; ++k) v[k] = g.uniform_float(0.5f, 2.0f);
    else if (e.name.find("running_mean") != std::string::npos || e.shape.size() == 1)
      for (size_t k = 0; k < e.size; ++k) v[k] += g.uniform_float(-0.5f, 0.5f);
  }
  loss_at(*m, b);
  const std::vector<float> analytic = m->tensors().grads();
  std::vector<float>& p = m->tensors().params();
  double err2 = 0, ref2 = 0, worst = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    p[i] = saved + h;
    const double up = loss_at(*m, b);
    p[i] = saved - h;
    const double down = loss_at(*m, b);
    p[i] = saved;
    const double numeric = (up - down) / (2.0 * h);
    err2 += (numeric - analytic[i]) * (numeric - analytic[i]);
    ref2 += numeric * numeric;
    worst = std::max(worst, std::fabs(numeric - analytic[i]));
  }
  EXPECT_GT(ref2, 0.0);
  EXPECT_LT(std::sqrt(err2 / ref2), 1e-2) << "relative error of the whole gradient";
  EXPECT_LT(worst, 2e-3) << "largest element error";
}

const char* kAround = R"({"input": 3, "layers": [{"type": "linear", "out": 8}, %s, {"type": "linear", "out": 3}]})";

std::string around(const std::string& layer) {
  char buf[512];
  std::snprintf(buf, sizeof buf, kAround, layer.c_str());
  return buf;
}

TEST(GradCheck, Linear) { check_gradients(around(R"({"type": "linear", "out": 8})"), true); }
TEST(GradCheck, LinearNoBias) { check_gradients(around(R"({"type": "linear", "out": 5, "bias": false})"), true); }
TEST(GradCheck, BatchNormTrain) { check_gradients(around(R"({"type": "batchnorm"})"), true); }
TEST(GradCheck, BatchNormEval) { check_gradients(around(R"({"type": "batchnorm"})"), false); }
TEST(GradCheck, BatchNormBatchOfTwo) { check_gradients(around(R"({"type": "batchnorm"})"), true, 2); }
TEST(GradCheck, LayerNorm) { check_gradients(around(R"({"type": "layernorm"})"), true); }
TEST(GradCheck, RMSNorm) { check_gradients(around(R"({"type": "rmsnorm"})"), true); }
TEST(GradCheck, GroupNorm) { check_gradients(around(R"({"type": "groupnorm", "groups": 2})"), true); }
// Two features per group normalize to ±1: the curvature is high, so a smaller step is needed.
TEST(GradCheck, GroupNormTwoPerGroup) { check_gradients(around(R"({"type": "groupnorm", "groups": 4})"), true, 8, 4e-4f); }
TEST(GradCheck, Dropout) { check_gradients(around(R"({"type": "dropout", "p": 0.3})"), true); }
TEST(GradCheck, ReLU) { check_gradients(around(R"({"type": "relu"})"), true); }
TEST(GradCheck, LeakyReLU) { check_gradients(around(R"({"type": "leaky_relu", "slope": 0.2})"), true); }
TEST(GradCheck, Tanh) { check_gradients(around(R"({"type": "tanh"})"), true); }
TEST(GradCheck, Sigmoid) { check_gradients(around(R"({"type": "sigmoid"})"), true); }
TEST(GradCheck, GELU) { check_gradients(around(R"({"type": "gelu"})"), true); }
TEST(GradCheck, ResidualPreNorm) {
  check_gradients(around(R"({"type": "residual", "layers": [{"type": "layernorm"}, {"type": "linear", "out": 8},
                             {"type": "gelu"}, {"type": "linear", "out": 8}]})"), true);
}
TEST(GradCheck, ResidualPostNormWithBatchNorm) {
  check_gradients(around(R"({"type": "residual", "layers": [{"type": "linear", "out": 8}, {"type": "batchnorm"},
                             {"type": "tanh"}]}, {"type": "layernorm"})"), true);
}
TEST(GradCheck, LossAloneManyClasses) {
  check_gradients(R"({"input": 4, "layers": [{"type": "linear", "out": 7}]})", true);
}

}  // namespace
}  // namespace normlab
