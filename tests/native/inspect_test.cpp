// The normalization inspector (core/inspect.cpp) and torch.randn (core/rng.h) natively, against PyTorch's
// values in tests/golden/traces/inspect.json (made by tests/golden/make_inspect_golden.py). The same file is
// checked through the wasm module in tests/node/inspect.test.mjs; here it also runs under ASan + UBSan.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "inspect.h"
#include "util/rng.h"

using json = nlohmann::json;
using namespace normlab;

namespace {

json load() {
  std::ifstream in(std::string(NORMLAB_SOURCE_DIR) + "/tests/golden/traces/inspect.json");
  return json::parse(in, nullptr, false);
}

int ulp_distance(float a, float b) {
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4), std::memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  return std::abs(ia - ib);
}

}  // namespace

// Every case PyTorch ran: our y against the exact (float64) answer for the same float inputs, which PyTorch's
// own float32 y is checked against, with PyTorch's tolerance, in tests/node/inspect.test.mjs.
TEST(Inspect, MatchesTheExactAnswerOnEveryPyTorchCase) {
  const json doc = load();
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_GE(doc["cases"].size(), 10u);
  for (const json& c : doc["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    InspectInput in;
    in.norm = c["norm"].get<std::string>();
    in.shape = c["shape"].get<std::vector<int>>();
    in.groups = c["groups"].is_number() ? c["groups"].get<int>() : 1;
    in.eps = c["eps"].get<double>();
    in.x = c["x"].get<std::vector<float>>();
    if (c.contains("gamma") && c["gamma"].is_array()) in.gamma = c["gamma"].get<std::vector<float>>();
    if (c.contains("beta") && c["beta"].is_array()) in.beta = c["beta"].get<std::vector<float>>();
    InspectResult r;
    ASSERT_TRUE(inspect_norm(in, &r).ok());
    const auto y64 = c["y64"].get<std::vector<double>>();  // the exact answer from the same float x
    ASSERT_EQ(r.y.size(), y64.size());
    for (size_t k = 0; k < y64.size(); ++k) EXPECT_NEAR(r.y[k], y64[k], 1e-6) << "y[" << k << "]";
    const auto mean = c["mean"].get<std::vector<double>>(), var = c["var"].get<std::vector<double>>();
    ASSERT_EQ(r.stats, static_cast<int>(mean.size()));
    for (int i = 0; i < r.stats; ++i) {
      EXPECT_NEAR(r.mean[i], mean[i], 1e-6 * (1 + std::fabs(mean[i])));
      EXPECT_NEAR(r.var[i], var[i], 1e-6 * (1 + var[i]));
    }
  }
}

TEST(Inspect, TheLessonsVarianceReads1_1111) {
  const json doc = load();
  for (const json& c : doc["cases"]) {
    if (c["norm"] != "layernorm" || c["shape"] != json::array({4, 10})) continue;
    InspectInput in{"layernorm", {4, 10}, 1, 1e-5, c["x"].get<std::vector<float>>(), {}, {}};
    InspectResult r;
    ASSERT_TRUE(inspect_norm(in, &r).ok());
    for (int n = 0; n < 4; ++n) {
      EXPECT_NEAR(r.row_var_y[n], 10.0 / 9.0, 1e-4);
      EXPECT_NEAR(r.row_var_y_biased[n], 1.0, 1e-4);
      EXPECT_NEAR(r.row_mean_y[n], 0.0, 1e-6);
    }
    return;
  }
  FAIL() << "no lesson case in inspect.json";
}

TEST(Inspect, ErrorsNameTheProblem) {
  InspectResult r;
  std::vector<float> x(40, 1.0f);
  EXPECT_EQ(inspect_norm({"instancenorm", {4, 10}, 1, 1e-5, x, {}, {}}, &r).message().rfind("instancenorm: expected more than 1 spatial element", 0), 0u);
  EXPECT_EQ(inspect_norm({"groupnorm", {4, 10}, 3, 1e-5, x, {}, {}}, &r).message().rfind("groups:", 0), 0u);
  EXPECT_EQ(inspect_norm({"batchnorm", {1, 40}, 1, 1e-5, x, {}, {}}, &r).message().rfind("batchnorm: expected more than 1 value per channel", 0), 0u);
  EXPECT_EQ(inspect_norm({"layernorm", {4, 11}, 1, 1e-5, x, {}, {}}, &r).message().rfind("x:", 0), 0u);
  EXPECT_EQ(inspect_norm({"layernorm", {4, 10}, 1, -1, x, {}, {}}, &r).message().rfind("eps:", 0), 0u);
  EXPECT_EQ(inspect_norm({"whatnorm", {4, 10}, 1, 1e-5, x, {}, {}}, &r).message().rfind("norm:", 0), 0u);
  EXPECT_EQ(inspect_norm({"layernorm", {4, 10, 2}, 1, 1e-5, x, {}, {}}, &r).message().rfind("shape:", 0), 0u);
  EXPECT_EQ(inspect_norm({"layernorm", {4, 10}, 1, 1e-5, x, std::vector<float>(3, 1.0f), {}}, &r).message().rfind("gamma:", 0), 0u);
  x[7] = NAN;
  EXPECT_EQ(inspect_norm({"layernorm", {4, 10}, 1, 1e-5, x, {}, {}}, &r).message().rfind("x:", 0), 0u);
}

// PyTorch's AVX2 kernel computes log/cos/sin with vectorized approximations; ours are correctly rounded: ≤ 3 ulp apart
// for n ≥ 16 (the float path), bit-equal for n < 16 (the double path).
TEST(Randn, MatchesTorchRandn) {
  const json doc = load();
  ASSERT_GE(doc["randn"].size(), 10u);
  for (const json& c : doc["randn"]) {
    const int n = c["n"].get<int>();
    const auto want = c["values"].get<std::vector<float>>();
    std::vector<float> got(n);
    TorchGenerator gen(c["seed"].get<uint64_t>());
    gen.randn(got.data(), n);
    for (int i = 0; i < n; ++i) EXPECT_LE(ulp_distance(got[i], want[i]), n < 16 ? 0 : 3) << "seed " << c["seed"] << " n " << n << " [" << i << "]";
  }
}
