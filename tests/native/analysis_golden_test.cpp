// PyTorch's golden traces for why normalization helps, replayed through a Lab (tests/golden/make_scale_golden.py,
// make_smoothness_golden.py; the node tests replay them through the wasm module). The init_scale cases are train
// cases: golden_test.cpp replays them with the others.
#include <cmath>
#include <nlohmann/json.hpp>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using json = nlohmann::json;

using testing::load_trace;

// The trace's lab: its data, batch size, runs and seed.
std::unique_ptr<Lab> lab_of(const json& t) {
  auto lab = std::make_unique<Lab>();
  EXPECT_TRUE(lab->set_data(t["data"].dump()).ok());
  EXPECT_TRUE(lab->set_batch_size(t["batch_size"].get<int>()).ok());
  for (const auto& r : t["runs"]) {
    int index = -1;
    Status s = lab->add_run(r["model"].dump(), r["optimizer"].dump(), &index);
    EXPECT_TRUE(s.ok()) << s.message();
  }
  EXPECT_TRUE(lab->reset(t["seed"].get<uint32_t>()).ok());
  return lab;
}

double relative(double got, double want) { return std::fabs(got - want) / std::fabs(want); }

TEST(AnalysisGolden, ScalingWeightsMidRunMatchesPyTorch) {
  const json t = load_trace("scale_weights.json");
  auto lab = lab_of(t);
  for (int step = 0; step < t["steps"].get<int>(); ++step) {
    if (step == t["at"].get<int>()) {
      for (const auto& s : t["scale"])
        ASSERT_TRUE(lab->scale_weights(s["run"].get<int>(), s["layer"].get<std::string>(), s["alpha"].get<double>()).ok());
    }
    lab->step(1);
    for (int r = 0; r < lab->run_count(); ++r)
      EXPECT_LE(relative(lab->run(r).loss, t["losses"][step][r].get<double>()), 1e-4) << "step " << step << " run " << r;
  }
  for (int r = 0; r < lab->run_count(); ++r)
    for (const auto& [name, values] : t["final_states"][r].get<std::vector<std::pair<std::string, std::vector<float>>>>()) {
      const TensorTable& tt = lab->run(r).model->tensors();
      const float* got = tt.value(tt.find(name));
      size_t bad = 0;
      for (size_t k = 0; k < values.size(); ++k) bad += !(std::fabs(got[k] - values[k]) <= 1e-4 + 1e-3 * std::fabs(values[k]));
      EXPECT_EQ(bad, 0u) << "run " << r << " final " << name;
    }
}

TEST(AnalysisGolden, SmoothnessMatchesPyTorch) {
  const json t = load_trace("smoothness.json");
  auto lab = lab_of(t);
  SmoothnessOptions options;
  ASSERT_TRUE(parse_smoothness_options(t["options"].dump(), &options).ok());
  const json& tol = t["tolerance"];
  size_t checkpoint = 0;
  for (int step = 1; step <= t["steps"].get<int>(); ++step) {
    lab->step(1);
    for (int r = 0; r < lab->run_count(); ++r)
      EXPECT_LE(relative(lab->run(r).loss, t["losses"][step - 1][r].get<double>()), 1e-4) << "step " << step;
    if (checkpoint == t["checkpoints"].size() || t["checkpoints"][checkpoint]["step"].get<int>() != step) continue;
    for (int r = 0; r < lab->run_count(); ++r) {
      SCOPED_TRACE("after step " + std::to_string(step) + ", run " + std::to_string(r));
      const json& want = t["checkpoints"][checkpoint]["runs"][r];
      Smoothness s;
      ASSERT_TRUE(lab->smoothness(r, options, &s).ok());
      const std::pair<const char*, double> scalars[] = {
          {"loss", s.loss}, {"grad_norm", s.grad_norm}, {"loss_min", s.loss_min}, {"loss_max", s.loss_max},
          {"grad_diff_max", s.grad_diff_max}, {"beta_smoothness", s.beta_smoothness}};
      for (const auto& [key, got] : scalars) EXPECT_LE(relative(got, want[key].get<double>()), tol[key].get<double>()) << key;
      for (const auto& [key, got] : {std::pair{"losses", &s.losses}, std::pair{"grad_diffs", &s.grad_diffs}})
        for (size_t k = 0; k < got->size(); ++k)
          EXPECT_LE(relative((*got)[k], want[key][k].get<double>()), tol[key].get<double>()) << key << "[" << k << "]";
      for (size_t k = 0; k < s.eta.size(); ++k) EXPECT_EQ(s.eta[k], want["eta"][k].get<double>());  // the same doubles
    }
    ++checkpoint;
  }
  EXPECT_EQ(checkpoint, t["checkpoints"].size());
}

}  // namespace
}  // namespace normlab
