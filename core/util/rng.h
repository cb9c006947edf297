// Random numbers, owned: the Mersenne Twister both PyTorch (CPU generator) and NumPy (legacy RandomState)
// use, plus the exact transformations each applies. With them a seed gives PyTorch's initial weights,
// dropout masks and DataLoader order, and scikit-learn's datasets, bit for bit, on every compiler.
// No <random> distributions: libstdc++ and libc++ implement those differently.
#pragma once
#include <cmath>
#include <cstdint>

#include "util/mathfn.h"

namespace normlab {

// MT19937 (Matsumoto & Nishimura), seeded the way at::mt19937 and NumPy's legacy `seed(int)` seed it.
class MT19937 {
 public:
  explicit MT19937(uint64_t seed = 5489) { seed_with(seed); }
  void seed_with(uint64_t seed) {
    state_[0] = static_cast<uint32_t>(seed & 0xffffffffu);
    for (int j = 1; j < kN; ++j)
      state_[j] = 1812433253u * (state_[j - 1] ^ (state_[j - 1] >> 30)) + static_cast<uint32_t>(j);
    index_ = kN;
  }
  uint32_t next_u32() {
    if (index_ >= kN) twist();
    uint32_t y = state_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
  }

 private:
  static constexpr int kN = 624, kM = 397;
  void twist() {
    for (int i = 0; i < kN; ++i) {
      const uint32_t y = (state_[i] & 0x80000000u) | (state_[(i + 1) % kN] & 0x7fffffffu);
      state_[i] = state_[(i + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    index_ = 0;
  }
  uint32_t state_[kN];
  int index_ = kN;
};

// torch.Generator on the CPU (torch.manual_seed). Only the draws normlab needs, each written as ATen does.
class TorchGenerator {
 public:
  explicit TorchGenerator(uint64_t seed = 0) : engine_(seed) {}
  void manual_seed(uint64_t seed) {
    engine_.seed_with(seed);
    has_normal_ = false;
  }
  uint32_t random() { return engine_.next_u32(); }
  // CPUGeneratorImpl::random64: two 32-bit draws, the first is the high word.
  uint64_t random64() {
    const uint64_t hi = engine_.next_u32();
    const uint64_t lo = engine_.next_u32();
    return (hi << 32) | lo;
  }
  // tensor.uniform_(from, to) on a float tensor: 24 random bits, x * (to - from) + from in float. The
  // AVX2 kernel PyTorch ships computes that with one fused multiply-add, so we do too (std::fma is
  // correctly rounded everywhere).
  float uniform_float(float from, float to) {
    const float x = static_cast<float>(random() & 0xffffffu) * (1.0f / 16777216.0f);
    return std::fma(x, to - from, from);
  }
  // bernoulli_(p) on a float tensor without MKL: a 53-bit uniform double from random64, kept if < p.
  bool bernoulli(double p) {
    const double u = static_cast<double>(random64() & ((uint64_t{1} << 53) - 1)) * (1.0 / 9007199254740992.0);
    return u < p;
  }
  // torch.empty((), dtype=torch.int64).random_(): random64 reduced to [0, 2^63).
  int64_t random_int64() { return static_cast<int64_t>(random64() % (uint64_t{1} << 63)); }

  // torch.randn(n) (normal_(0, 1) on a contiguous float tensor), drawn as ATen's CPU kernel draws it.
  // n >= 16 (normal_fill): n 24-bit uniforms first, then Box-Muller over blocks of 16 (u1 = 1 - u[j],
  // u2 = u[j + 8]); a partial last block is redrawn over the last 16 slots. n < 16: one double-precision
  // normal_distribution per value, which caches the second value of each pair in the generator.
  // The float path computes log/cos/sin correctly rounded; PyTorch's AVX2 kernel uses vectorized
  // approximations (avx_mathfun's log256_ps/sincos256_ps), so a value can differ from PyTorch's by a few ulp
  // (≤ 3 measured; tests/native/inspect_test.cpp, tests/node/inspect.test.mjs).
  void randn(float* out, int n) {
    if (n >= 16) {
      for (int i = 0; i < n; ++i) out[i] = uniform_float(0.0f, 1.0f);
      for (int i = 0; i + 16 <= n; i += 16) normal_fill_16(out + i);
      if (n % 16 != 0) {
        float* tail = out + n - 16;
        for (int i = 0; i < 16; ++i) tail[i] = uniform_float(0.0f, 1.0f);
        normal_fill_16(tail);
      }
      return;
    }
    for (int i = 0; i < n; ++i) out[i] = static_cast<float>(normal_double());
  }

 private:
  static void normal_fill_16(float* d) {
    const float two_pi = static_cast<float>(2.0 * 3.14159265358979323846);
    for (int j = 0; j < 8; ++j) {
      const float u1 = 1.0f - d[j], u2 = d[j + 8];
      const float radius = std::sqrt(-2.0f * static_cast<float>(det::log(u1)));
      const float theta = two_pi * u2;
      d[j] = radius * static_cast<float>(det::cos(theta));
      d[j + 8] = radius * static_cast<float>(det::sin(theta));
    }
  }
  // at::normal_distribution<double>(0, 1): two 53-bit uniforms, r·cos θ returned, r·sin θ kept for the next.
  double normal_double() {
    if (has_normal_) {
      has_normal_ = false;
      return next_normal_;
    }
    const double u1 = static_cast<double>(random64() & ((uint64_t{1} << 53) - 1)) * (1.0 / 9007199254740992.0);
    const double u2 = static_cast<double>(random64() & ((uint64_t{1} << 53) - 1)) * (1.0 / 9007199254740992.0);
    const double r = std::sqrt(-2.0 * det::log(1.0 - u2));
    const double theta = 2.0 * 3.14159265358979323846 * u1;
    next_normal_ = r * det::sin(theta);
    has_normal_ = true;
    return r * det::cos(theta);
  }
  MT19937 engine_;
  bool has_normal_ = false;
  double next_normal_ = 0;
};

// numpy.random.RandomState(seed) (the legacy generator scikit-learn's random_state=int uses).
class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint32_t seed) : engine_(seed) {}
  // random_sample(): 53-bit double from two draws (a >> 5, b >> 6).
  double random_double() {
    const int32_t a = static_cast<int32_t>(engine_.next_u32() >> 5);
    const int32_t b = static_cast<int32_t>(engine_.next_u32() >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  // legacy_gauss: the polar Box-Muller method, the second value of each pair kept for the next call.
  double gauss() {
    if (has_gauss_) {
      has_gauss_ = false;
      return gauss_;
    }
    double x1, x2, r2;
    do {
      x1 = 2.0 * random_double() - 1.0;
      x2 = 2.0 * random_double() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * det::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
  }
  double normal(double loc, double scale) { return loc + scale * gauss(); }
  // random_interval(max): uniform integer in [0, max] by masked rejection (32-bit draws for max < 2^32).
  uint32_t interval(uint32_t max) {
    if (max == 0) return 0;
    uint32_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    uint32_t value;
    while ((value = (engine_.next_u32() & mask)) > max) {
    }
    return value;
  }
  // RandomState.shuffle on a 1-D array: Fisher-Yates from the end.
  template <typename T>
  void shuffle(T* data, int n) {
    for (int i = n - 1; i >= 1; --i) {
      const uint32_t j = interval(static_cast<uint32_t>(i));
      T tmp = data[i];
      data[i] = data[j];
      data[j] = tmp;
    }
  }

 private:
  MT19937 engine_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace normlab
