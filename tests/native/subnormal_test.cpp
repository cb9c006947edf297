// Subnormal floats (|x| < 2^-126) make every operation on them ~100 times slower on x86, and WebAssembly
// cannot flush them to zero in hardware: the lesson's model trained for 300 epochs went from ~100 to ~200 µs a
// step. The core flushes them in software where they arise (optim.cpp, loss.cpp; README, "Numerics"). These
// tests hold the mechanism, not the time: no subnormal anywhere in a long training run, and the flushes leave
// the parameters exactly as PyTorch's unflushed arithmetic computes them.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "lab.h"
#include "loss.h"
#include "test_util.h"

namespace normlab {
namespace {

size_t subnormals(const float* v, size_t n) {
  size_t count = 0;
  for (size_t k = 0; k < n; ++k) {
    uint32_t bits;
    std::memcpy(&bits, v + k, sizeof bits);
    count += (bits & 0x7f800000u) == 0 && (bits & 0x007fffffu) != 0;  // exponent 0, mantissa not
  }
  return count;
}
size_t subnormals(const std::vector<float>& v) { return subnormals(v.data(), v.size()); }

// The lesson's no-norm model on its data. Without the flushes, dead ReLU units' Adam moments turned subnormal
// from epoch 21 on (~1,900 of 4,482 by epoch 300, stuck there for good), and near-certain predictions put
// subnormal gradients into the backward pass from epoch 131 on (~360 per step by epoch 300).
TEST(Subnormals, LessonModelTrainsWithoutAny) {
  Lab lab;
  DataSpec data;
  data.points = 2000, data.noise = 0.2, data.seed = 0, data.test_fraction = 0;
  ASSERT_TRUE(lab.set_data(data).ok());
  ASSERT_TRUE(lab.set_batch_size(64).ok());
  int run = -1;
  ASSERT_TRUE(lab.add_run(R"({"input": 2, "layers": [{"type": "linear", "out": 64}, {"type": "relu"},
                              {"type": "linear", "out": 64}, {"type": "relu"}, {"type": "linear", "out": 2}]})",
                          R"({"type": "adam", "lr": 0.01})", &run).ok());
  ASSERT_TRUE(lab.reset(0).ok());
  Model& model = *lab.run(run).model;
  const Optimizer& opt = *lab.run(run).optimizer;
  const Sequential& net = model.net();
#if defined(__SANITIZE_ADDRESS__)
  const int epochs = 30;  // unoptimized and instrumented, 150 epochs take 30 s: the moments' case only
#else
  const int epochs = 150;  // past epoch 131, where the backward pass met subnormals
#endif
  size_t in_params = 0, in_grads = 0, in_moments = 0, in_activations = 0, in_backward = 0;
  for (long long step = 0; lab.epoch() < epochs; ++step) {
    lab.step(nullptr);
    ASSERT_FALSE(lab.run(run).stopped) << lab.run(run).error;
    const int n = lab.run(run).rows;
    in_params += subnormals(model.tensors().params());
    in_grads += subnormals(model.tensors().grads());
    in_moments += subnormals(opt.exp_avg()) + subnormals(opt.exp_avg_sq());
    for (size_t i = 0; i < net.size(); ++i) {
      const size_t width = static_cast<size_t>(net.layer(i).out_features());
      in_activations += subnormals(net.output_of(i), n * width);
      if (i + 1 < net.size()) in_backward += subnormals(net.grad_of(i), n * width);
    }
    in_backward += subnormals(model.logit_grads(), static_cast<size_t>(n) * model.classes());
    if (in_params + in_grads + in_moments + in_activations + in_backward) {
      ADD_FAILURE() << "subnormals at step " << step << " (epoch " << lab.epoch() + 1 << "): parameters " << in_params
                    << ", gradients " << in_grads << ", Adam's moments " << in_moments << ", activations "
                    << in_activations << ", backward pass " << in_backward;
      return;
    }
  }
  EXPECT_LT(lab.run(run).loss, 0.3) << "the run trained";
}

// p − [c = y] of a near-certain prediction: e^-95 ≈ 5.5e-42 is subnormal as a float; below 2^-100 it is zero.
TEST(Subnormals, CrossEntropyGradientBelowTwoToMinus100IsZero) {
  const float logits[] = {0.0f, 95.0f, 0.0f, 60.0f, 3.0f, -1.0f};
  const int labels[] = {1, 1, 0};
  float d[6];
  const double loss = cross_entropy(logits, labels, 3, 2, d, nullptr);
  EXPECT_EQ(d[0], 0.0f);
  EXPECT_EQ(d[1], 0.0f);
  EXPECT_EQ(subnormals(d, 6), 0u);
  // e^-60 / 3 ≈ 2.9e-27 is above 2^-100: kept, to float precision.
  EXPECT_FLOAT_EQ(d[2], static_cast<float>(std::exp(-60.0) / (1 + std::exp(-60.0)) / 3));
  EXPECT_EQ(d[3], 0.0f);  // p − 1 of the label: 1 − 8.8e-27 is already 1 in double (as in PyTorch's float)
  EXPECT_FLOAT_EQ(d[4], static_cast<float>((1 / (1 + std::exp(-4.0)) - 1) / 3));
  // The loss itself is computed in double and is not flushed: log(1 + e^-95) ≈ e^-95.
  EXPECT_NEAR(loss, (std::exp(-95.0) + std::exp(-60.0) + std::log(1 + std::exp(-4.0))) / 3, 1e-15);
  // NaN passes as NaN.
  const float bad[] = {NAN, 1.0f};
  cross_entropy(bad, labels, 1, 2, d, nullptr);
  EXPECT_TRUE(std::isnan(d[0]) && std::isnan(d[1]));
}

// torch.optim.Adam's arithmetic, unflushed, one parameter at a time in the same order as optim.cpp.
struct ReferenceAdam {
  double lr, b1, b2, eps;
  std::vector<float> m, v;
  long long t = 0;
  void step(std::vector<float>& p, const std::vector<float>& g) {
    ++t;
    const double bc1 = 1 - std::pow(b1, static_cast<double>(t)), bc2 = 1 - std::pow(b2, static_cast<double>(t));
    const float neg_step = static_cast<float>(-(lr / bc1)), bc2_sqrt = static_cast<float>(std::sqrt(bc2));
    for (size_t i = 0; i < p.size(); ++i) {
      m[i] = m[i] * static_cast<float>(b1) + g[i] * static_cast<float>(1 - b1);
      v[i] = v[i] * static_cast<float>(b2) + static_cast<float>(1 - b2) * g[i] * g[i];
      p[i] = p[i] + neg_step * (m[i] / (std::sqrt(v[i]) / bc2_sqrt + static_cast<float>(eps)));
    }
  }
};

// A parameter whose gradient stops (a dead ReLU unit): its moments decay by β each step. Unflushed they reach
// the subnormal range and stay there (0.9 · 3·2^-149 rounds back to 3·2^-149), costing every later step; here
// they become zero, and the parameters stay bit for bit what PyTorch computes. Six parameters: one block of
// four and a tail of two.
void expect_dead_parameters_settle(const char* optimizer_json, double eps) {
  SCOPED_TRACE(optimizer_json);
  const OptimizerSpec spec = testing::optimizer_spec(optimizer_json);
  Optimizer opt(spec, 6);
  ReferenceAdam ref{spec.lr, spec.beta1, spec.beta2, eps, std::vector<float>(6), std::vector<float>(6)};
  std::vector<float> p{0.5f, -0.25f, 1.5f, -2.0f, 0.125f, 3.0f}, q = p;
  const std::vector<float> g{1e-3f, -2e-3f, 0.5f, -7.0f, 3e-5f, 1e-4f}, zero(6, 0.0f);
  size_t stuck = 0, unflushed_stuck = 0;
  for (int s = 0; s < 12000; ++s) {
    opt.step(p.data(), (s < 3 ? g : zero).data());
    ref.step(q, s < 3 ? g : zero);
    stuck += subnormals(opt.exp_avg()) + subnormals(opt.exp_avg_sq()) + subnormals(p);
    unflushed_stuck += subnormals(ref.m) + subnormals(ref.v);
  }
  EXPECT_EQ(stuck, 0u);
  EXPECT_GT(unflushed_stuck, 0u) << "the unflushed arithmetic does reach subnormals (the test tests something)";
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(opt.exp_avg()[i], 0.0f) << i;
    EXPECT_EQ(p[i], q[i]) << i << ": the parameter differs from PyTorch's unflushed arithmetic";
  }
}

TEST(Subnormals, AdamMomentsOfADeadParameterBecomeZero) {
  // β2 = 0.99 so that v, too, decays below 2^-126 within the run (with 0.999 it takes ~65,000 steps).
  expect_dead_parameters_settle(R"({"type": "adam", "lr": 0.01, "betas": [0.9, 0.99]})", 1e-8);
}

// With eps = 0 a flushed v would turn 0/v into 0/0: v is then left as PyTorch computes it (subnormal), and
// the parameters stay finite and equal to PyTorch's.
TEST(Subnormals, AdamWithoutEpsKeepsItsSecondMoment) {
  const OptimizerSpec spec = testing::optimizer_spec(R"({"type": "adam", "lr": 0.01, "betas": [0.9, 0.99], "eps": 0})");
  Optimizer opt(spec, 6);
  ReferenceAdam ref{spec.lr, spec.beta1, spec.beta2, 0.0, std::vector<float>(6), std::vector<float>(6)};
  std::vector<float> p{0.5f, -0.25f, 1.5f, -2.0f, 0.125f, 3.0f}, q = p;
  const std::vector<float> g{1e-3f, -2e-3f, 0.5f, -7.0f, 3e-5f, 1e-4f}, zero(6, 0.0f);
  for (int s = 0; s < 12000; ++s) {
    opt.step(p.data(), (s < 3 ? g : zero).data());
    ref.step(q, s < 3 ? g : zero);
  }
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(std::isfinite(p[i])) << i;
    EXPECT_EQ(p[i], q[i]) << i;
    EXPECT_GT(opt.exp_avg_sq()[i], 0.0f) << i << ": v kept";
  }
}

TEST(Subnormals, SgdMomentumBufferOfADeadParameterBecomesZero) {
  for (const char* json : {R"({"type": "sgd", "lr": 0.1, "momentum": 0.9})",
                           R"({"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true})"}) {
    SCOPED_TRACE(json);
    const OptimizerSpec spec = testing::optimizer_spec(json);
    Optimizer opt(spec, 6);
    std::vector<float> p{0.5f, -0.25f, 1.5f, -2.0f, 0.125f, 3.0f}, q = p, buf(6);
    const std::vector<float> g{1e-3f, -2e-3f, 0.5f, -7.0f, 3e-5f, 1e-4f};
    const float momentum = 0.9f, neg_lr = -0.1f;
    size_t stuck = 0, unflushed_stuck = 0;
    for (int s = 0; s < 2000; ++s) {
      std::vector<float> grad = s < 3 ? g : std::vector<float>(6, 0.0f);
      opt.step(p.data(), grad.data());
      for (int i = 0; i < 6; ++i) {  // torch.optim.SGD, unflushed
        buf[i] = s == 0 ? grad[i] : buf[i] * momentum + 1.0f * grad[i];
        q[i] = q[i] + neg_lr * (spec.nesterov ? grad[i] + momentum * buf[i] : buf[i]);
      }
      stuck += subnormals(opt.exp_avg()) + subnormals(p);
      unflushed_stuck += subnormals(buf);
    }
    EXPECT_EQ(stuck, 0u);
    EXPECT_GT(unflushed_stuck, 0u);
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(opt.exp_avg()[i], 0.0f) << i;
      EXPECT_EQ(p[i], q[i]) << i;
    }
  }
}

}  // namespace
}  // namespace normlab
