// Dropout: mask rate and scaling (statistical), identity in eval mode, and the exact backward of a mask.
#include <cmath>

#include "test_util.h"

namespace normlab {
namespace {

TEST(Dropout, KeepsOneMinusPAndScalesByItsInverse) {
  for (double p : {0.1, 0.5, 0.8}) {
    auto m = testing::make_model(R"({"input": 1000, "layers": [{"type": "dropout", "p": )" + std::to_string(p) +
                                 R"(}, {"type": "linear", "out": 2}]})");
    std::vector<float> x(100 * 1000, 1.5f), y(x.size());
    Context ctx{true, &m->generator()};
    m->net().layer(0).reserve(100);
    ASSERT_TRUE(m->net().layer(0).forward(x.data(), y.data(), 100, ctx).ok());
    const float scale = 1.0f / static_cast<float>(1.0 - p);
    size_t kept = 0;
    for (float v : y) {
      if (v != 0) {
        ++kept;
        EXPECT_EQ(v, 1.5f * scale);
      }
    }
    const double n = static_cast<double>(y.size());
    const double rate = kept / n, sigma = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(rate, 1 - p, 5 * sigma) << "p = " << p;
  }
}

TEST(Dropout, IdentityInEvalModeAndAtPZero) {
  auto m = testing::make_model(R"({"input": 8, "layers": [{"type": "dropout", "p": 0.5}, {"type": "linear", "out": 2}]})");
  std::vector<float> x(16 * 8), y(x.size());
  for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(k) - 40;
  m->net().layer(0).infer(x.data(), y.data(), 16, InferMode::Eval);
  EXPECT_EQ(x, y);
  m->net().layer(0).reserve(16);
  Context eval{false, &m->generator()};
  ASSERT_TRUE(m->net().layer(0).forward(x.data(), y.data(), 16, eval).ok());
  EXPECT_EQ(x, y);
  auto zero = testing::make_model(R"({"input": 8, "layers": [{"type": "dropout", "p": 0}, {"type": "linear", "out": 2}]})");
  zero->net().layer(0).reserve(16);
  Context train{true, &zero->generator()};
  ASSERT_TRUE(zero->net().layer(0).forward(x.data(), y.data(), 16, train).ok());
  EXPECT_EQ(x, y);
}

TEST(Dropout, BackwardAppliesExactlyTheForwardMask) {
  auto m = testing::make_model(R"({"input": 32, "layers": [{"type": "dropout", "p": 0.3}, {"type": "linear", "out": 2}]})");
  std::vector<float> x(10 * 32, 2.0f), y(x.size()), dy(x.size()), dx(x.size());
  Context ctx{true, &m->generator()};
  m->net().layer(0).reserve(10);
  ASSERT_TRUE(m->net().layer(0).forward(x.data(), y.data(), 10, ctx).ok());
  for (size_t k = 0; k < dy.size(); ++k) dy[k] = 0.25f * static_cast<float>(k % 7) - 0.5f;
  m->net().layer(0).backward(x.data(), y.data(), dy.data(), dx.data(), 10);
  const float scale = 1.0f / 0.7f;
  for (size_t k = 0; k < dx.size(); ++k) EXPECT_EQ(dx[k], y[k] == 0 ? 0.0f : dy[k] * scale) << k;
}

}  // namespace
}  // namespace normlab
