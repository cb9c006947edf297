// PyTorch's golden traces for batch composition (tests/golden/make_sampler_golden.py), replayed through a Lab: for
// every sampler the same row order epoch after epoch, the same losses and final weights (dropout's masks drawn
// between the epochs' draws), Lab::sample_epochs's orders, and Lab::train_mode_logits. The node tests replay the
// same file through the wasm module.
#include <cmath>
#include <nlohmann/json.hpp>

#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using json = nlohmann::json;

using testing::load_trace;

// Within 1e-4 absolute + 1e-3 relative (the golden traces' tolerance); returns how many values are not.
size_t outside(const float* got, const std::vector<float>& want) {
  size_t bad = 0;
  for (size_t k = 0; k < want.size(); ++k) bad += !(std::fabs(got[k] - want[k]) <= 1e-4 + 1e-3 * std::fabs(want[k]));
  return bad;
}

TEST(SamplerGolden, EverySamplerMatchesPyTorch) {
  const json t = load_trace("samplers.json");
  ASSERT_EQ(t["cases"].size(), 4u);
  for (const json& c : t["cases"]) {
    const std::string sampler = c["sampler"].get<std::string>();
    SCOPED_TRACE(sampler);
    Lab lab;
    ASSERT_TRUE(lab.set_data(c["data"].dump()).ok());
    ASSERT_TRUE(lab.set_batch_size(c["batch_size"].get<int>()).ok());
    for (const auto& r : c["runs"]) {
      int index = -1;
      ASSERT_TRUE(lab.add_run(r["model"].dump(), r["optimizer"].dump(), &index).ok());
    }
    ASSERT_TRUE(lab.set_sampler(sampler).ok());
    ASSERT_TRUE(lab.reset(c["seed"].get<uint32_t>()).ok());
    std::vector<int> served;
    for (int step = 0; step < c["steps"].get<int>(); ++step) {
      lab.step(nullptr);
      served.insert(served.end(), lab.last_batch().begin(), lab.last_batch().end());
      for (int r = 0; r < lab.run_count(); ++r) {
        const double want = c["losses"][step][r].get<double>();
        ASSERT_FALSE(lab.run(r).stopped) << lab.run(r).error;
        EXPECT_LE(std::fabs(lab.run(r).loss - want) / want, 1e-4) << "step " << step << " run " << r;
      }
    }
    std::vector<int> orders;
    for (const auto& o : c["orders"]) for (int i : o) orders.push_back(i);
    EXPECT_EQ(served, orders) << "the rows in the order the DataLoader served them";
    for (int r = 0; r < lab.run_count(); ++r)
      for (const auto& [name, values] : c["final_states"][r].get<std::vector<std::pair<std::string, std::vector<float>>>>()) {
        const TensorTable& tt = lab.run(r).model->tensors();
        EXPECT_EQ(outside(tt.value(tt.find(name)), values), 0u) << "run " << r << " final " << name;
      }
    // sample_epochs: the loader's orders after torch.manual_seed(seed)
    const json& se = c["sample_epochs"];
    std::vector<int> sampled, want;
    ASSERT_TRUE(lab.sample_epochs(se["count"].get<int>(), se["seed"].get<double>(), &sampled).ok());
    for (const auto& o : se["orders"]) for (int i : o) want.push_back(i);
    EXPECT_EQ(sampled, want);
    // train_mode_logits on the first sampled epoch's rows, batch by batch, at the final weights
    const int n = lab.train().rows;
    std::vector<float> x(static_cast<size_t>(n) * 2);
    for (int k = 0; k < n; ++k) x[2 * k] = lab.train().x[2 * want[k]], x[2 * k + 1] = lab.train().x[2 * want[k] + 1];
    const json& tm = c["train_mode"];
    for (int r = 0; r < lab.run_count(); ++r) {
      std::vector<float> got, eval;
      ASSERT_TRUE(lab.train_mode_logits(r, x.data(), x.size(), tm["batch"].get<int>(), &got).ok());
      EXPECT_EQ(outside(got.data(), tm["logits"][r].get<std::vector<float>>()), 0u) << "run " << r << " train-mode logits";
      ASSERT_TRUE(lab.logits(r, x.data(), x.size(), &eval).ok());
      EXPECT_EQ(outside(eval.data(), tm["eval_logits"][r].get<std::vector<float>>()), 0u) << "run " << r << " eval logits";
    }
  }
}

}  // namespace
}  // namespace normlab
