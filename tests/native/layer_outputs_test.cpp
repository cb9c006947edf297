// Model::layer_outputs / Lab::layer_outputs: every top-level layer's own output and each normalization's
// statistics, for any rows, in eval and train-batch mode, without changing anything.
#include <cmath>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using testing::make_model;
using testing::model_spec;
using testing::optimizer_spec;

// Every kind of layer: BatchNorm after a Linear (the pair infer folds), LayerNorm after an activation,
// GroupNorm, RMSNorm, dropout, a pre-norm residual block with a BatchNorm inside.
const char* kEvery = R"({"input": 2, "layers": [{"type": "linear", "out": 8}, {"type": "batchnorm"}, {"type": "relu"},
  {"type": "linear", "out": 8}, {"type": "tanh"}, {"type": "layernorm"}, {"type": "linear", "out": 8},
  {"type": "groupnorm", "groups": 2}, {"type": "sigmoid"}, {"type": "rmsnorm"}, {"type": "dropout", "p": 0.3},
  {"type": "residual", "layers": [{"type": "batchnorm"}, {"type": "linear", "out": 8}, {"type": "gelu"}]},
  {"type": "linear", "out": 2}]})";
// No BatchNorm: eval and train-batch are the same pass.
const char* kNoBatchNorm = R"({"input": 2, "layers": [{"type": "linear", "out": 8}, {"type": "layernorm"}, {"type": "relu"},
  {"type": "linear", "out": 8}, {"type": "groupnorm", "groups": 2}, {"type": "tanh"}, {"type": "dropout"},
  {"type": "residual", "layers": [{"type": "rmsnorm"}, {"type": "linear", "out": 8}, {"type": "leaky_relu"}]},
  {"type": "linear", "out": 2}]})";
const char* kAdam = R"({"type": "adam", "lr": 0.01})";

struct Fixture {
  Lab lab;
  explicit Fixture(const char* model, int steps = 0) {
    DataSpec d;
    d.points = 300, d.noise = 0.2, d.seed = 2, d.test_fraction = 0.2;
    EXPECT_TRUE(lab.set_data(d).ok());
    EXPECT_TRUE(lab.set_batch_size(16).ok());
    int idx;
    EXPECT_TRUE(lab.add_run(model_spec(model), optimizer_spec(kAdam), &idx).ok());
    EXPECT_TRUE(lab.reset(5).ok());
    for (int s = 0; s < steps; ++s) lab.step(nullptr);
  }
  std::vector<LayerOutput> outputs(const std::vector<float>& x, InferMode mode) {
    std::vector<LayerOutput> out;
    Status s = lab.layer_outputs(0, x.data(), x.size(), mode, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  Model& model() { return *lab.run(0).model; }
};

// n points over the plane, some far from the data.
std::vector<float> points(int n) {
  std::vector<float> x(2 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[2 * i] = 3.0f * std::sin(0.7f * i), x[2 * i + 1] = 2.5f * std::cos(1.3f * i) - 0.5f;
  return x;
}

TEST(LayerOutputs, ShapesKindsAndStatistics) {
  Fixture f(kEvery, 3);
  const int rows = 5;
  const std::vector<LayerOutput> out = f.outputs(points(rows), InferMode::Eval);
  const LayerKind kinds[] = {LayerKind::Linear, LayerKind::BatchNorm, LayerKind::ReLU, LayerKind::Linear, LayerKind::Tanh,
                             LayerKind::LayerNorm, LayerKind::Linear, LayerKind::GroupNorm, LayerKind::Sigmoid,
                             LayerKind::RMSNorm, LayerKind::Dropout, LayerKind::Residual, LayerKind::Linear};
  ASSERT_EQ(out.size(), 13u);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].kind, kinds[i]) << i;
    EXPECT_EQ(out[i].features, i + 1 == out.size() ? 2 : 8) << i;
    EXPECT_EQ(out[i].values.size(), static_cast<size_t>(rows) * out[i].features) << i;
    const bool norm = i == 1 || i == 5 || i == 7 || i == 9;
    EXPECT_EQ(out[i].normalizes, norm) << i;  // the residual block's inner BatchNorm is not a top-level layer
    EXPECT_TRUE(norm || out[i].stats.mean.empty()) << i;
  }
  // BatchNorm: one statistic per feature, the running ones in eval mode; LayerNorm, RMSNorm one per row;
  // GroupNorm one per row and group.
  EXPECT_EQ(out[1].stats.per_row, 0);
  EXPECT_EQ(out[1].stats.mean.size(), 8u);
  EXPECT_TRUE(out[1].stats.running);
  EXPECT_EQ(out[1].stats.eps, 1e-5);
  EXPECT_EQ(out[5].stats.per_row, 1);
  EXPECT_EQ(out[5].stats.var.size(), 5u);
  EXPECT_EQ(out[7].stats.per_row, 2);
  EXPECT_EQ(out[7].stats.mean.size(), 10u);
  EXPECT_EQ(out[9].stats.per_row, 1);
  EXPECT_EQ(out[9].stats.eps, 1e-6);
  EXPECT_EQ(out[9].stats.mean, std::vector<float>(5, 0.0f));  // RMSNorm does not center
  const TensorTable& t = f.model().tensors();
  const float* running_mean = t.value(t.find("1.running_mean"));
  const float* running_var = t.value(t.find("1.running_var"));
  EXPECT_EQ(out[1].stats.mean, std::vector<float>(running_mean, running_mean + 8));
  EXPECT_EQ(out[1].stats.var, std::vector<float>(running_var, running_var + 8));
}

// Each output is its layer's function of the previous output, and the statistics are the ones that produced it.
TEST(LayerOutputs, EachLayerNormalizesWithTheStatisticsItReports) {
  Fixture f(kEvery, 4);
  const int rows = 7;
  const std::vector<float> x = points(rows);
  for (InferMode mode : {InferMode::Eval, InferMode::TrainBatch}) {
    const std::vector<LayerOutput> out = f.outputs(x, mode);
    const TensorTable& t = f.model().tensors();
    for (size_t i : {1, 5, 7, 9}) {
      const LayerOutput& o = out[i];
      const std::vector<float>& in = out[i - 1].values;
      const std::string prefix = std::to_string(i) + ".";
      const float* gamma = t.value(t.find(prefix + "weight"));
      const int bias = t.find(prefix + "bias");
      const int C = o.features, per_row = o.stats.per_row, len = per_row ? C / per_row : 1;
      for (int n = 0; n < rows; ++n)
        for (int c = 0; c < C; ++c) {
          const size_t s = per_row ? static_cast<size_t>(n) * per_row + c / len : c;
          const double xhat = (in[n * C + c] - o.stats.mean[s]) / std::sqrt(static_cast<double>(o.stats.var[s]) + o.stats.eps);
          const double want = xhat * gamma[c] + (bias >= 0 ? t.value(bias)[c] : 0.0f);
          EXPECT_NEAR(o.values[n * C + c], want, 1e-5 + 1e-5 * std::fabs(want)) << "layer " << i << " row " << n << " feature " << c;
        }
      if (per_row == 0) continue;
      for (int n = 0; n < rows; ++n)  // the per-row statistics of the layer's input
        for (int g = 0; g < per_row; ++g) {
          double sum = 0, sq = 0;
          for (int k = 0; k < len; ++k) sum += in[n * C + g * len + k];
          const double mean = o.kind == LayerKind::RMSNorm ? 0 : sum / len;
          for (int k = 0; k < len; ++k) sq += (in[n * C + g * len + k] - mean) * (in[n * C + g * len + k] - mean);
          EXPECT_NEAR(o.stats.mean[n * per_row + g], mean, 1e-6) << "layer " << i;
          EXPECT_NEAR(o.stats.var[n * per_row + g], sq / len, 1e-6 * (1 + sq / len)) << "layer " << i;
        }
    }
    // Dropout is the identity; the residual block adds its input.
    EXPECT_EQ(out[10].values, out[9].values);
  }
}

TEST(LayerOutputs, TrainBatchUsesTheLastTrainingBatchsMeanAndBiasedVariance) {
  Fixture f(kEvery, 6);
  const std::vector<LayerOutput> out = f.outputs(points(3), InferMode::TrainBatch);
  const NormStats* batch = f.model().net().layer(1).norm_stats();  // the last training forward's
  EXPECT_FALSE(out[1].stats.running);
  EXPECT_EQ(out[1].stats.mean, batch->mean);
  EXPECT_EQ(out[1].stats.var, batch->var);
  // ... biased: σ² = unbiased · (n − 1) / n.
  const int n = f.lab.run(0).rows;
  for (int c = 0; c < 8; ++c) EXPECT_NEAR(out[1].stats.var[c], batch->var_unbiased[c] * (n - 1) / n, 1e-6 * (1 + batch->var[c]));
  // Before any training step there is no batch: the running statistics, as the boundary does.
  Fixture fresh(kEvery);
  const std::vector<LayerOutput> before = fresh.outputs(points(3), InferMode::TrainBatch);
  EXPECT_TRUE(before[1].stats.running);
  EXPECT_EQ(before[1].values, fresh.outputs(points(3), InferMode::Eval)[1].values);
}

TEST(LayerOutputs, TheLastLayerIsTheLogits) {
  for (const char* model : {kEvery, kNoBatchNorm}) {
    Fixture f(model, 5);
    const std::vector<float> x = points(300);  // more than one inference chunk
    std::vector<float> logits;
    ASSERT_TRUE(f.lab.logits(0, x.data(), x.size(), &logits).ok());
    const std::vector<float> last = f.outputs(x, InferMode::Eval).back().values;
    ASSERT_EQ(last.size(), logits.size());
    if (model == kNoBatchNorm) {
      EXPECT_EQ(last, logits);  // the same kernels in the same order
      continue;
    }
    // infer folds BatchNorm into the Linear before it; layer_outputs applies each layer on its own: rounding apart.
    for (size_t k = 0; k < logits.size(); ++k) EXPECT_NEAR(last[k], logits[k], 1e-5 * (1 + std::fabs(logits[k]))) << k;
  }
}

TEST(LayerOutputs, EvalAndTrainBatchDifferOnlyThroughBatchNorm) {
  Fixture plain(kNoBatchNorm, 5);
  const std::vector<float> x = points(40);
  const std::vector<LayerOutput> eval = plain.outputs(x, InferMode::Eval), batch = plain.outputs(x, InferMode::TrainBatch);
  for (size_t i = 0; i < eval.size(); ++i) {
    EXPECT_EQ(eval[i].values, batch[i].values) << i;
    EXPECT_EQ(eval[i].stats.mean, batch[i].stats.mean) << i;
    EXPECT_EQ(eval[i].stats.var, batch[i].stats.var) << i;
  }
  Fixture f(kEvery, 5);
  const std::vector<LayerOutput> e = f.outputs(x, InferMode::Eval), b = f.outputs(x, InferMode::TrainBatch);
  EXPECT_EQ(e[0].values, b[0].values);  // before the first BatchNorm
  EXPECT_NE(e[1].values, b[1].values);
  EXPECT_NE(e[1].stats.mean, b[1].stats.mean);
  EXPECT_NE(e[11].values, b[11].values);  // the residual block's inner BatchNorm
}

// Rows are independent: any number of rows, in any chunks, gives each row the same outputs and statistics.
TEST(LayerOutputs, ManyRowsEqualOneRowAtATime) {
  Fixture f(kEvery, 3);
  const int rows = 600;
  const std::vector<float> x = points(rows);
  const std::vector<LayerOutput> all = f.outputs(x, InferMode::TrainBatch);
  for (int n : {0, 255, 256, 257, 511, 599}) {
    const std::vector<LayerOutput> one = f.outputs(std::vector<float>(x.begin() + 2 * n, x.begin() + 2 * n + 2), InferMode::TrainBatch);
    for (size_t i = 0; i < all.size(); ++i) {
      const int C = all[i].features, per_row = all[i].stats.per_row;
      EXPECT_EQ(std::vector<float>(all[i].values.begin() + n * C, all[i].values.begin() + (n + 1) * C), one[i].values) << i << " row " << n;
      if (per_row) {
        EXPECT_EQ(std::vector<float>(all[i].stats.var.begin() + n * per_row, all[i].stats.var.begin() + (n + 1) * per_row), one[i].stats.var);
      }
    }
  }
}

// Nothing changes: the same training afterwards, bit for bit (parameters, running statistics, dropout draws,
// the last batch's buffers the lessons read).
TEST(LayerOutputs, ChangesNothing) {
  Fixture a(kEvery, 4), b(kEvery, 4);
  for (InferMode mode : {InferMode::Eval, InferMode::TrainBatch}) a.outputs(points(700), mode);
  const Diagnostics da = a.lab.diagnostics(0), db = b.lab.diagnostics(0);
  for (size_t i = 0; i < da.layers.size(); ++i) {
    EXPECT_EQ(da.layers[i].act.mean, db.layers[i].act.mean);
    if (da.layers[i].norm) {
      EXPECT_EQ(da.layers[i].norm->var, db.layers[i].norm->var);
    }
  }
  for (int s = 0; s < 6; ++s) {
    a.lab.step(nullptr), b.lab.step(nullptr);
    EXPECT_EQ(a.lab.run(0).loss, b.lab.run(0).loss) << "step " << s;
  }
  EXPECT_EQ(a.model().tensors().params(), b.model().tensors().params());
  std::vector<float> pa, pb;
  ASSERT_TRUE(a.lab.logits(0, points(50).data(), 100, &pa).ok());
  ASSERT_TRUE(b.lab.logits(0, points(50).data(), 100, &pb).ok());
  EXPECT_EQ(pa, pb);  // running statistics too
}

TEST(LayerOutputs, ErrorsNameTheirField) {
  Fixture f(kEvery);
  std::vector<LayerOutput> out;
  const std::vector<float> x = points(4);
  EXPECT_EQ(f.lab.layer_outputs(1, x.data(), x.size(), InferMode::Eval, &out).message(), "run: no run 1");
  EXPECT_EQ(f.lab.layer_outputs(-1, x.data(), x.size(), InferMode::Eval, &out).field(), "run");
  EXPECT_EQ(f.lab.layer_outputs(0, x.data(), 3, InferMode::Eval, &out).message(), "x: 3 values is not a whole number of rows of 2 inputs");
  EXPECT_EQ(f.lab.layer_outputs(0, x.data(), 0, InferMode::Eval, &out).field(), "x");
}

// Bounded as a training batch is: each output at most kMaxValues, all together at most kMaxActivations,
// checked before anything is computed.
TEST(LayerOutputs, Limits) {
  std::vector<LayerOutput> out;
  const std::vector<float> x(16385, 0.5f);
  auto wide = make_model(R"({"input": 1, "layers": [{"type": "linear", "out": 1024}, {"type": "relu"}, {"type": "linear", "out": 2}]})");
  Status s = wide->layer_outputs(x.data(), 16385, InferMode::Eval, &out);
  EXPECT_EQ(s.message(), "x: 16385 rows give 16778240 outputs of layer 0, more than the limit of 16777216");
  EXPECT_TRUE(out.empty());
  auto deep = make_model(R"({"input": 1, "layers": [{"type": "linear", "out": 1024}, {"type": "relu"}, {"type": "linear", "out": 2}]})");
  s = deep->layer_outputs(x.data(), 16384, InferMode::Eval, &out);  // 2 · 2^24 + 2^15 values in all
  EXPECT_EQ(s.message(), "x: 16384 rows give 33587200 layer outputs, more than the limit of 33554432");
  EXPECT_EQ(s.field(), "x");
  ASSERT_TRUE(deep->layer_outputs(x.data(), 8192, InferMode::Eval, &out).ok());
  EXPECT_EQ(out[0].values.size(), 8192u * 1024);
}

}  // namespace
}  // namespace normlab
