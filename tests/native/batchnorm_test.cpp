// BatchNorm's statistics are computed once, by the layer (core/layers/batchnorm.cpp, summed by
// core/layers/moments.h): the lessons' trace reads them and the inspector computes the same numbers with the
// same helper. These tests pin that the shared values are the bits an independent double sum gives.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "inspect.h"
#include "test_util.h"

using namespace normlab;
using namespace normlab::testing;

namespace {

// x (rows × C) with a large offset, where a careless one-pass variance would cancel.
std::vector<float> batch(int rows, int C, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(rows) * C);
  for (float& v : x) v = 3.0f * nd(rng) + 20.0f;
  return x;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

// The trace's unbiased variance is the layer's own, and equals a two-pass double sum over the trace's inputs.
TEST(BatchNorm, TraceUnbiasedVarianceIsTheLayers) {
  auto m = make_model(R"({"input": 7, "layers": [{"type": "batchnorm"}, {"type": "linear", "out": 3}]})");
  for (int rows : {2, 5, 33}) {
    const std::vector<float> x = batch(rows, 7, rows);
    std::vector<int> y(rows, 1);
    double loss;
    ASSERT_TRUE(m->compute_gradients(x.data(), y.data(), rows, &loss).ok());
    for (int c = 0; c < 7; ++c) {
      BatchNormTrace t;
      ASSERT_TRUE(m->batchnorm_trace(0, c, rows, &t).ok());
      double sum = 0, sq = 0;
      for (float v : t.x) sum += v;
      const double mean = sum / rows;
      for (float v : t.x) sq += (v - mean) * (v - mean);
      EXPECT_TRUE(same_bits(t.var_unbiased, static_cast<float>(sq / (rows - 1))))
          << "rows " << rows << " c " << c;
      EXPECT_TRUE(same_bits(t.var, static_cast<float>(sq / rows)));
      EXPECT_TRUE(same_bits(t.mean, static_cast<float>(mean)));
    }
  }
}

// The inspector's BatchNorm on an (N, C) tensor reports exactly the layer's batch mean and biased variance.
TEST(BatchNorm, InspectorStatisticsAreTheLayers) {
  const int rows = 9, C = 5;
  auto m = make_model(R"({"input": 5, "layers": [{"type": "batchnorm"}, {"type": "linear", "out": 2}]})");
  const std::vector<float> x = batch(rows, C, 11);
  std::vector<float> logits(static_cast<size_t>(rows) * 2);
  ASSERT_TRUE(m->forward(x.data(), rows, logits.data()).ok());
  const NormStats* st = m->net().layer(0).norm_stats();
  ASSERT_FALSE(st->used_running);
  InspectInput in;
  in.norm = "batchnorm";
  in.shape = {rows, C};
  in.x = x;
  InspectResult r;
  ASSERT_TRUE(inspect_norm(in, &r).ok());
  ASSERT_EQ(r.stats, C);
  for (int c = 0; c < C; ++c) {
    EXPECT_TRUE(same_bits(r.mean[c], st->mean[c])) << c;
    EXPECT_TRUE(same_bits(r.var[c], st->var[c])) << c;
  }
}

// In eval mode the layer reports its running statistics and keeps the last training batch's unbiased
// variance.
TEST(BatchNorm, EvalReportsRunningStatistics) {
  auto m = make_model(R"({"input": 3, "layers": [{"type": "batchnorm"}, {"type": "linear", "out": 2}]})");
  const std::vector<float> x = batch(4, 3, 5);
  std::vector<int> y(4, 0);
  double loss;
  ASSERT_TRUE(m->compute_gradients(x.data(), y.data(), 4, &loss).ok());
  const std::vector<float> unbiased = m->net().layer(0).norm_stats()->var_unbiased;
  m->set_training(false);
  ASSERT_TRUE(m->compute_gradients(x.data(), y.data(), 4, &loss).ok());
  const NormStats* st = m->net().layer(0).norm_stats();
  EXPECT_TRUE(st->used_running);
  const float* rmean = m->tensors().value(m->tensors().find("0.running_mean"));
  const float* rvar = m->tensors().value(m->tensors().find("0.running_var"));
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(st->mean[c], rmean[c]);
    EXPECT_EQ(st->var[c], rvar[c]);
    EXPECT_EQ(st->var_unbiased[c], unbiased[c]);
  }
}
