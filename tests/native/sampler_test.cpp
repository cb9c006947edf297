// Batch composition (core/sampler.h): the samplers' names and errors, what each order looks like, that
// Lab::sample_epochs draws what the lab's own epochs draw, and Lab::train_mode_logits (side-effect free, each
// batch on its own, its errors). PyTorch's numbers: sampler_golden_test.cpp.
#include <algorithm>
#include <cmath>
#include <set>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using testing::model_spec;
using testing::optimizer_spec;

const char* kBatchNormDropout = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "dropout", "p": 0.2}, {"type": "linear", "out": 2}]})";
const char* kLayerNorm = R"({"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "layernorm"}, {"type": "tanh"}, {"type": "linear", "out": 2}]})";
const char* kSgd = R"({"type": "sgd", "lr": 0.1, "momentum": 0.9})";

// 300 training rows of moons (400 points, a quarter held out), batches of 32, the given runs, seed 5.
std::unique_ptr<Lab> make_lab(std::initializer_list<const char*> models, const char* sampler = "shuffle") {
  auto lab = std::make_unique<Lab>();
  DataSpec d;
  d.points = 400, d.noise = 0.2, d.seed = 1, d.test_fraction = 0.25;
  EXPECT_TRUE(lab->set_data(d).ok());
  EXPECT_TRUE(lab->set_batch_size(32).ok());
  for (const char* m : models) {
    int idx;
    EXPECT_TRUE(lab->add_run(model_spec(m), optimizer_spec(kSgd), &idx).ok());
  }
  EXPECT_TRUE(lab->set_sampler(sampler).ok());
  EXPECT_TRUE(lab->reset(5).ok());
  return lab;
}

// Epoch `e` of the lab's sampler after manual_seed(seed) (Lab::sample_epochs).
std::vector<int> epoch(const Lab& lab, int e = 0, double seed = 3) {
  std::vector<int> all;
  EXPECT_TRUE(lab.sample_epochs(e + 1, seed, &all).ok());
  const int n = lab.train().rows;
  return std::vector<int>(all.begin() + static_cast<long>(n) * e, all.begin() + static_cast<long>(n) * (e + 1));
}

bool is_permutation_of_rows(std::vector<int> order) {
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size(); ++i)
    if (order[i] != static_cast<int>(i)) return false;
  return true;
}

TEST(Sampler, NamesAndErrors) {
  SamplerKind k;
  for (SamplerKind want : {SamplerKind::Shuffle, SamplerKind::Balanced, SamplerKind::Sorted, SamplerKind::Duplicates}) {
    ASSERT_TRUE(parse_sampler(sampler_name(want), &k).ok());
    EXPECT_EQ(k, want);
  }
  Status s = parse_sampler("Sorted", &k);
  EXPECT_EQ(s.field(), "sampler");
  EXPECT_EQ(s.message(), "sampler: unknown sampler \"Sorted\" (expected shuffle, balanced, sorted or duplicates)");
  EXPECT_FALSE(parse_sampler("", &k).ok());
}

TEST(Sampler, AnUnknownNameChangesNothingAndANewSamplerRestartsTheRuns) {
  auto lab = make_lab({kLayerNorm});
  lab->step(5);
  EXPECT_EQ(lab->set_sampler("random").message(), "sampler: unknown sampler \"random\" (expected shuffle, balanced, sorted or duplicates)");
  EXPECT_EQ(lab->sampler(), SamplerKind::Shuffle);
  EXPECT_EQ(lab->steps_done(), 5);
  ASSERT_TRUE(lab->set_sampler("sorted").ok());
  EXPECT_EQ(lab->sampler(), SamplerKind::Sorted);
  EXPECT_EQ(lab->steps_done(), 0);
  EXPECT_EQ(lab->seed(), 5u);
}

TEST(Sampler, EachOrderHasItsShape) {
  auto lab = make_lab({});
  const std::vector<int>& y = lab->train().y;
  const int n = lab->train().rows;
  const std::vector<int> shuffled = epoch(*lab);
  EXPECT_TRUE(is_permutation_of_rows(shuffled));

  // sorted: the same permutation (the same draws), stably sorted by class
  ASSERT_TRUE(lab->set_sampler("sorted").ok());
  const std::vector<int> sorted = epoch(*lab);
  std::vector<int> want = shuffled;
  std::stable_sort(want.begin(), want.end(), [&](int a, int b) { return y[a] < y[b]; });
  EXPECT_EQ(sorted, want);

  // balanced: class 0, class 1, class 0, … while both last, then the larger class's rest; each class's rows are
  // a permutation of that class
  ASSERT_TRUE(lab->set_sampler("balanced").ok());
  const std::vector<int> balanced = epoch(*lab);
  EXPECT_TRUE(is_permutation_of_rows(balanced));
  const int ones = static_cast<int>(std::count(y.begin(), y.end(), 1)), both = std::min(ones, n - ones);
  ASSERT_GT(both, 100);
  for (int k = 0; k < 2 * both; ++k) ASSERT_EQ(y[balanced[k]], k % 2) << k;
  for (int k = 2 * both; k < n; ++k) ASSERT_EQ(y[balanced[k]], ones > both ? 1 : 0) << k;
  EXPECT_NE(balanced, epoch(*lab, 1)) << "each epoch draws anew";

  // duplicates: n draws with replacement; the first equals randperm's first choice (random() % n, both)
  ASSERT_TRUE(lab->set_sampler("duplicates").ok());
  const std::vector<int> dup = epoch(*lab);
  ASSERT_EQ(dup.size(), static_cast<size_t>(n));
  EXPECT_EQ(dup[0], shuffled[0]);
  EXPECT_TRUE(std::all_of(dup.begin(), dup.end(), [&](int i) { return i >= 0 && i < n; }));
  const double distinct = static_cast<double>(std::set<int>(dup.begin(), dup.end()).size()) / n;
  EXPECT_GT(distinct, 0.55);  // 1 − 1/e ≈ 0.63 of the rows expected
  EXPECT_LT(distinct, 0.72);
}

TEST(Sampler, SampleEpochsDrawsWhatTheLabsOwnEpochsDraw) {
  for (const char* sampler : {"shuffle", "balanced", "sorted", "duplicates"}) {
    auto lab = make_lab({}, sampler);  // no runs: nothing but the loader draws from the lab's generator
    ASSERT_TRUE(lab->reset(77).ok());
    std::vector<int> served;
    for (int s = 0; s < 3 * lab->steps_per_epoch(); ++s) {
      lab->step(nullptr);
      served.insert(served.end(), lab->last_batch().begin(), lab->last_batch().end());
    }
    std::vector<int> sampled;
    ASSERT_TRUE(lab->sample_epochs(3, 77, &sampled).ok());
    EXPECT_EQ(sampled, served) << sampler;
    std::vector<int> again;  // side-effect free: the same again, and the lab's next step is unaffected
    ASSERT_TRUE(lab->sample_epochs(3, 77, &again).ok());
    EXPECT_EQ(again, sampled);
  }
}

TEST(Sampler, SampleEpochsErrors) {
  auto lab = make_lab({});
  std::vector<int> out;
  EXPECT_EQ(lab->sample_epochs(0, 1, &out).message(), "count: must be an integer in [1, 1024], got 0");
  EXPECT_EQ(lab->sample_epochs(1025, 1, &out).field(), "count");
  EXPECT_EQ(lab->sample_epochs(1, -1, &out).field(), "seed");
  EXPECT_EQ(lab->sample_epochs(1, 4294967296.0, &out).field(), "seed");
  DataSpec big;
  big.points = kMaxPoints;
  ASSERT_TRUE(lab->set_data(big).ok());
  EXPECT_EQ(lab->sample_epochs(200, 1, &out).message(),
            "count: 200 epochs of 100000 rows are 20000000 indices, more than the limit of 16777216");
  EXPECT_TRUE(lab->sample_epochs(100, 1, &out).ok());
}

TEST(TrainModeLogits, EachBatchOnItsOwnAndNothingChanges) {
  auto lab = make_lab({kBatchNormDropout, kLayerNorm});
  auto twin = make_lab({kBatchNormDropout, kLayerNorm});
  lab->step(7), twin->step(7);
  const std::vector<float>& x = lab->train().x;
  const size_t rows64 = 64 * 2;
  std::vector<float> both, first, second, eval;
  for (int r = 0; r < 2; ++r) {
    ASSERT_TRUE(lab->train_mode_logits(r, x.data(), rows64, 32, &both).ok());
    ASSERT_TRUE(lab->train_mode_logits(r, x.data(), 64, 0, &first).ok());  // rows 0-31 as one batch
    ASSERT_TRUE(lab->train_mode_logits(r, x.data() + 64, 64, 0, &second).ok());
    first.insert(first.end(), second.begin(), second.end());
    EXPECT_EQ(both, first) << "run " << r << ": batches of 32 are two calls of 32 rows";
    ASSERT_TRUE(lab->logits(r, x.data(), rows64, &eval).ok());
    std::vector<float> one;  // all 64 rows as one batch
    ASSERT_TRUE(lab->train_mode_logits(r, x.data(), rows64, 0, &one).ok());
    double moved = 0, batch_moved = 0;
    for (size_t k = 0; k < eval.size(); ++k) moved = std::max(moved, double(std::fabs(both[k] - eval[k])));
    for (size_t k = 0; k < eval.size(); ++k) batch_moved = std::max(batch_moved, double(std::fabs(both[k] - one[k])));
    if (r == 0) {  // BatchNorm: its batch's statistics, not the running ones; another batch, other logits
      EXPECT_GT(moved, 1e-3);
      EXPECT_GT(batch_moved, 1e-3);
    } else {  // LayerNorm, no dropout: train mode is eval mode, and the batch does not matter
      EXPECT_LT(moved, 1e-5);
      EXPECT_EQ(both, one);
    }
  }
  // Side-effect free: the lab trains on exactly as its twin that was never asked.
  for (int s = 0; s < 12; ++s) {
    lab->step(nullptr), twin->step(nullptr);
    for (int r = 0; r < 2; ++r) ASSERT_EQ(lab->run(r).loss, twin->run(r).loss) << "step " << s << " run " << r;
  }
  for (int r = 0; r < 2; ++r) EXPECT_EQ(lab->run(r).model->tensors().params(), twin->run(r).model->tensors().params());
}

TEST(TrainModeLogits, Errors) {
  auto lab = make_lab({kBatchNormDropout, kLayerNorm});
  const std::vector<float>& x = lab->train().x;
  std::vector<float> out;
  EXPECT_EQ(lab->train_mode_logits(2, x.data(), 8, 0, &out).message(), "run: no run 2");
  EXPECT_EQ(lab->train_mode_logits(0, x.data(), 7, 0, &out).field(), "x");
  EXPECT_EQ(lab->train_mode_logits(0, x.data(), 8, -1, &out).message(), "batch: must be an integer in [0, 4096] (0: every row in one batch), got -1");
  EXPECT_EQ(lab->train_mode_logits(0, x.data(), 8, 4097, &out).field(), "batch");
  // A batch of one row under BatchNorm is PyTorch's error: 5 rows as batches of 2 end with one alone.
  EXPECT_EQ(lab->train_mode_logits(0, x.data(), 10, 2, &out).message(),
            "batchnorm: expected more than 1 value per channel when training, got input size [1, 16]");
  EXPECT_TRUE(lab->train_mode_logits(1, x.data(), 10, 2, &out).ok()) << "LayerNorm normalizes a row on its own";
  std::vector<float> many(2 * 5000, 0.5f);
  EXPECT_EQ(lab->train_mode_logits(1, many.data(), many.size(), 0, &out).message(),
            "batch: x has 5000 rows; one training batch holds at most 4096 (give a batch size)");
  EXPECT_TRUE(lab->train_mode_logits(1, many.data(), many.size(), 1000, &out).ok());
}

}  // namespace
}  // namespace normlab
