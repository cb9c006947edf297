// The lab: runs in lockstep on the same batches, shared initial weights, divergence handling, no allocation
// per step, and side-effect-free evaluation.
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>

#include "lab.h"
#include "test_util.h"

// Counts heap allocations made by this test binary, to prove the training step allocates nothing. (GCC cannot
// see that the replaced operator new below is malloc, and warns about the matching free.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<long> g_allocations{0};
void* operator new(std::size_t n) {
  g_allocations++;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): left to the runtime — AddressSanitizer's
// own operator new — their memory would come back through the free() above, an alloc-dealloc mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocations++;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace normlab {
namespace {

using testing::model_spec;
using testing::optimizer_spec;

const char* kNoNorm = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
const char* kBatchNorm = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
const char* kLayerNormDropout = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "layernorm"}, {"type": "gelu"}, {"type": "dropout", "p": 0.2}, {"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 2}]})";
const char* kAdam = R"({"type": "adam", "lr": 0.01})";

struct Fixture {
  Lab lab;
  Fixture(std::initializer_list<const char*> models, int batch = 32) {
    DataSpec d;
    d.points = 400, d.noise = 0.2, d.seed = 1, d.test_fraction = 0.25;
    EXPECT_TRUE(lab.set_data(d).ok());
    EXPECT_TRUE(lab.set_batch_size(batch).ok());
    for (const char* m : models) {
      int idx;
      Status s = lab.add_run(model_spec(m), optimizer_spec(kAdam), &idx);
      EXPECT_TRUE(s.ok()) << s.message();
    }
    EXPECT_TRUE(lab.reset(11).ok());
  }
};

std::vector<float> tensor(Lab& lab, int run, const std::string& name) {
  TensorTable& t = lab.run(run).model->tensors();
  const int id = t.find(name);
  EXPECT_GE(id, 0) << name;
  return std::vector<float>(t.value(id), t.value(id) + t.entries()[id].size);
}

TEST(Lab, RunsWithTheSameSeedShareLinearWeightsWhateverTheNorm) {
  Fixture f({kNoNorm, kBatchNorm, kLayerNormDropout});
  // Linear layers: no-norm "0","2","4"; BN "0","3","6"; LN+dropout "0","4","6".
  EXPECT_EQ(tensor(f.lab, 0, "0.weight"), tensor(f.lab, 1, "0.weight"));
  EXPECT_EQ(tensor(f.lab, 0, "2.weight"), tensor(f.lab, 1, "3.weight"));
  EXPECT_EQ(tensor(f.lab, 0, "4.bias"), tensor(f.lab, 1, "6.bias"));
  EXPECT_EQ(tensor(f.lab, 0, "2.weight"), tensor(f.lab, 2, "4.weight"));
  // A different seed gives different weights.
  const auto before = tensor(f.lab, 0, "0.weight");
  ASSERT_TRUE(f.lab.reset(12).ok());
  EXPECT_NE(before, tensor(f.lab, 0, "0.weight"));
}

TEST(Lab, SequentialInitBuildsRunsFromOneStream) {
  Fixture f({kNoNorm, kNoNorm});
  f.lab.set_init_mode(InitMode::Sequential);
  ASSERT_TRUE(f.lab.reset(11).ok());
  EXPECT_NE(tensor(f.lab, 0, "0.weight"), tensor(f.lab, 1, "0.weight"));
}

TEST(Lab, EveryRunStepsOnTheSameBatchAndEpochsCoverTheData) {
  Fixture f({kNoNorm, kBatchNorm}, 64);
  EXPECT_EQ(f.lab.train().rows, 300);
  EXPECT_EQ(f.lab.test().rows, 100);
  EXPECT_EQ(f.lab.steps_per_epoch(), 5);  // 64 · 4 + 44
  std::vector<int> seen(300, 0);
  EpochSummary summary;
  int steps = 0;
  bool ended = false;
  while (!ended) {
    ended = f.lab.step(&summary);
    ++steps;
    for (int i : f.lab.last_batch()) seen[i]++;
    EXPECT_EQ(f.lab.run(0).rows, f.lab.run(1).rows);
  }
  EXPECT_EQ(steps, 5);
  EXPECT_EQ(f.lab.run(0).rows, 44);  // the last batch is the remainder, as DataLoader(drop_last=False)
  for (int c : seen) EXPECT_EQ(c, 1);
  EXPECT_EQ(summary.epoch, 1);
  ASSERT_EQ(summary.mean_loss.size(), 2u);
  EXPECT_TRUE(std::isfinite(summary.mean_loss[0]) && std::isfinite(summary.mean_loss[1]));
}

TEST(Lab, SameSeedSameTraceAndResetRestarts) {
  Fixture a({kBatchNorm, kLayerNormDropout}), b({kBatchNorm, kLayerNormDropout});
  std::vector<double> la, lb;
  for (int s = 0; s < 40; ++s) {
    a.lab.step(nullptr), b.lab.step(nullptr);
    la.push_back(a.lab.run(1).loss), lb.push_back(b.lab.run(1).loss);
  }
  EXPECT_EQ(la, lb);
  ASSERT_TRUE(a.lab.reset(11).ok());
  EXPECT_EQ(a.lab.steps_done(), 0);
  a.lab.step(nullptr);
  EXPECT_EQ(a.lab.run(1).loss, la[0]);
}

TEST(Lab, GridAndEvaluationHaveNoSideEffects) {
  Fixture a({kBatchNorm, kLayerNormDropout}), b({kBatchNorm, kLayerNormDropout});
  std::vector<float> probs(30 * 20 * 2);
  for (int s = 0; s < 25; ++s) {
    a.lab.step(nullptr), b.lab.step(nullptr);
    for (int r = 0; r < 2; ++r) {
      ASSERT_TRUE(a.lab.grid(r, 30, 20, -2, 3, -1.5, 2, s % 2 ? InferMode::TrainBatch : InferMode::Eval, probs.data()).ok());
      double loss, acc;
      a.lab.evaluate(r, true, InferMode::Eval, &loss, &acc);
    }
  }
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(a.lab.run(r).loss, b.lab.run(r).loss);
    EXPECT_EQ(a.lab.run(r).model->tensors().params(), b.lab.run(r).model->tensors().params());
    EXPECT_EQ(a.lab.run(r).model->tensors().buffers(), b.lab.run(r).model->tensors().buffers());
  }
  // Probabilities are probabilities; eval and train-batch boundaries of a BN model differ.
  std::vector<float> eval(probs.size()), batch(probs.size());
  ASSERT_TRUE(a.lab.grid(0, 30, 20, -2, 3, -1.5, 2, InferMode::Eval, eval.data()).ok());
  ASSERT_TRUE(a.lab.grid(0, 30, 20, -2, 3, -1.5, 2, InferMode::TrainBatch, batch.data()).ok());
  for (size_t k = 0; k < eval.size(); k += 2) EXPECT_NEAR(eval[k] + eval[k + 1], 1.0f, 1e-6f);
  EXPECT_NE(eval, batch);
}

TEST(Lab, GridEqualsForwardInEvalMode) {
  Fixture f({kBatchNorm});
  for (int s = 0; s < 10; ++s) f.lab.step(nullptr);
  std::vector<float> probs(5 * 4 * 2);
  ASSERT_TRUE(f.lab.grid(0, 5, 4, -1, 1, 0, 3, InferMode::Eval, probs.data()).ok());
  Model& m = *f.lab.run(0).model;
  m.set_training(false);
  // Point (i, j) = (x0 + i·(x1−x0)/(w−1), y1 − j·(y1−y0)/(h−1)), row j = 0 at the top.
  const float point[2] = {-1 + 3 * 0.5f, 3 - 2 * 1.0f};
  float logits[2];
  ASSERT_TRUE(m.forward(point, 1, logits).ok());
  const double p1 = 1 / (1 + std::exp(static_cast<double>(logits[0]) - logits[1]));
  EXPECT_NEAR(probs[(2 * 5 + 3) * 2 + 1], p1, 1e-6);
}

TEST(Lab, ADivergingRunStopsAndTheOthersContinue) {
  Lab lab;
  DataSpec d;
  d.points = 200;
  ASSERT_TRUE(lab.set_data(d).ok());
  int a, b;
  ASSERT_TRUE(lab.add_run(model_spec(kNoNorm), optimizer_spec(R"({"type": "sgd", "lr": 1e30})"), &a).ok());
  ASSERT_TRUE(lab.add_run(model_spec(kNoNorm), optimizer_spec(kAdam), &b).ok());
  for (int s = 0; s < 20; ++s) lab.step(nullptr);
  EXPECT_TRUE(lab.run(a).stopped);
  EXPECT_NE(lab.run(a).error.find("diverged"), std::string::npos) << lab.run(a).error;
  for (float p : lab.run(a).model->tensors().params()) EXPECT_TRUE(std::isfinite(p));
  EXPECT_FALSE(lab.run(b).stopped);
  EXPECT_TRUE(std::isfinite(lab.run(b).loss));
}

// BatchNorm step by step (Model::batchnorm_trace): the trace is what the layer did on the last batch.
TEST(Lab, BatchNormTraceIsTheLastBatch) {
  Fixture f({kBatchNorm});
  Model& m = *f.lab.run(0).model;
  BatchNormTrace t;
  EXPECT_EQ(m.batchnorm_trace(1, 0, f.lab.run(0).rows, &t).message().rfind("batchnorm: no training batch yet", 0), 0u);
  EXPECT_EQ(m.batchnorm_trace(0, 0, 32, &t).message().rfind("layer:", 0), 0u);
  f.lab.step(nullptr);
  const int rows = f.lab.run(0).rows;
  ASSERT_EQ(rows, 32);
  EXPECT_EQ(m.batchnorm_trace(4, 16, rows, &t).message().rfind("feature:", 0), 0u);
  for (int layer : {1, 4})
    for (int feature : {0, 15}) {
      ASSERT_TRUE(m.batchnorm_trace(layer, feature, rows, &t).ok());
      ASSERT_EQ(t.rows, rows);
      double sum = 0;
      for (float v : t.x) sum += v;
      EXPECT_NEAR(t.mean, sum / rows, 1e-6);
      EXPECT_EQ(t.running_mean_before, 0.0f);
      EXPECT_EQ(t.running_var_before, 1.0f);
      EXPECT_NEAR(t.running_mean, 0.1 * t.mean, 1e-6);
      EXPECT_NEAR(t.running_var, 0.9 + 0.1 * t.var_unbiased, 1e-6);
      EXPECT_EQ(t.gamma, 1.0f);  // as the first batch used it (Adam has moved it since)
      for (int n = 0; n < rows; ++n) EXPECT_NEAR(t.y[n], t.xhat[n], 1e-6);
    }
  // The next batch starts from where the last one left the running statistics, with γ as updated by Adam.
  ASSERT_TRUE(m.batchnorm_trace(4, 7, rows, &t).ok());
  const BatchNormTrace first = t;
  const float gamma_now = m.tensors().value(m.tensors().find("4.weight"))[7];
  f.lab.step(nullptr);
  ASSERT_TRUE(m.batchnorm_trace(4, 7, f.lab.run(0).rows, &t).ok());
  EXPECT_EQ(t.running_mean_before, first.running_mean);
  EXPECT_EQ(t.running_var_before, first.running_var);
  EXPECT_EQ(t.gamma, gamma_now);
  EXPECT_NE(t.gamma, 1.0f);
  EXPECT_NEAR(t.running_mean, 0.9 * first.running_mean + 0.1 * t.mean, 1e-6);
}

TEST(Lab, BatchNormWithABatchOfOneIsAnError) {
  Fixture f({kBatchNorm}, 1);
  f.lab.step(nullptr);
  EXPECT_TRUE(f.lab.run(0).stopped);
  EXPECT_EQ(f.lab.run(0).error, "batchnorm: expected more than 1 value per channel when training, got input size [1, 16]");
}

TEST(Lab, RejectsModelsThatDoNotFitTheData) {
  Lab lab;
  int idx;
  Status s = lab.add_run(model_spec(R"({"input": 3, "layers": [{"type": "linear", "out": 2}]})"), optimizer_spec(kAdam), &idx);
  EXPECT_EQ(s.message(), "input: the data has 2 features, the model expects 3");
  s = lab.add_run(model_spec(R"({"input": 2, "layers": [{"type": "linear", "out": 3}]})"), optimizer_spec(kAdam), &idx);
  EXPECT_NE(s.message().find("classes"), std::string::npos);
  EXPECT_EQ(lab.run_count(), 0);
}

TEST(Lab, NoHeapAllocationPerStepOrGrid) {
  Fixture f({kNoNorm, kBatchNorm, kLayerNormDropout}, 32);
  std::vector<float> probs(64 * 64 * 2);
  EpochSummary summary;
  for (int s = 0; s < 20; ++s) f.lab.step(&summary);  // the first epoch grows every buffer once
  ASSERT_TRUE(f.lab.grid(1, 64, 64, -2, 3, -2, 2, InferMode::Eval, probs.data()).ok());
  const long before = g_allocations.load();
  for (int s = 0; s < 200; ++s) f.lab.step(&summary);
  for (int r = 0; r < 3; ++r) ASSERT_TRUE(f.lab.grid(r, 64, 64, -2, 3, -2, 2, InferMode::TrainBatch, probs.data()).ok());
  EXPECT_EQ(g_allocations.load() - before, 0) << "allocations during 200 steps and 3 grids";
}

TEST(Lab, NoHeapAllocationPerEpochWhateverTheSampler) {
  for (const char* sampler : {"balanced", "sorted", "duplicates"}) {
    Fixture f({kBatchNorm, kLayerNormDropout}, 32);
    ASSERT_TRUE(f.lab.set_sampler(sampler).ok());
    EpochSummary summary;
    for (int s = 0; s < 20; ++s) f.lab.step(&summary);  // two epochs: the sampler's scratch grows once
    const long before = g_allocations.load();
    for (int s = 0; s < 200; ++s) f.lab.step(&summary);
    EXPECT_EQ(g_allocations.load() - before, 0) << sampler << ": allocations during 200 steps (20 epochs)";
  }
}

}  // namespace
}  // namespace normlab
