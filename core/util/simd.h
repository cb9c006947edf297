// A 4-lane float vector that compiles to SSE under g++ (x86-64) and to WebAssembly SIMD under em++
// (-msimd128), through the GCC/Clang vector extension both compilers share. Lane-wise IEEE arithmetic, no
// fused multiply-add (-ffp-contract=off): a kernel written with it gives the same bits on both builds, and
// the same bits as the scalar loop it replaces when every lane sums in the scalar loop's order.
#pragma once
#include <cmath>
#include <cstring>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace normlab {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);  // an unaligned load (movups / v128.load)
  return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
inline f32x4 splat4(float x) { return f32x4{x, x, x, x}; }

// Lane-wise select: mask lanes are all ones (true) or all zeros, as vector comparisons produce them.
inline f32x4 select4(i32x4 mask, f32x4 if_true, f32x4 if_false) {
  return reinterpret_cast<f32x4>((reinterpret_cast<i32x4>(if_true) & mask) | (reinterpret_cast<i32x4>(if_false) & ~mask));
}

// Software flush-to-zero, for chosen values only (WebAssembly has no FTZ mode, and the core leaves x86's off so
// that both builds compute the same bits): a value whose magnitude is below `tiny` (≥ 0) becomes +0; NaN, ±inf
// and every larger value pass unchanged. Non-negative floats order as their bit patterns do, so the vector form
// is one integer comparison of magnitudes and two ANDs. The vector and the scalar form give the same bits.
inline f32x4 flush4(f32x4 v, f32x4 tiny) {
  const i32x4 bits = reinterpret_cast<i32x4>(v);
  return reinterpret_cast<f32x4>(bits & ((bits & 0x7fffffff) >= reinterpret_cast<i32x4>(tiny)));
}
inline float flush(float v, float tiny) { return std::fabs(v) < tiny ? 0.0f : v; }

// Lane-wise IEEE square root (correctly rounded on every target, so the same bits everywhere).
inline f32x4 sqrt4(f32x4 v) {
#if defined(__wasm_simd128__)
  return reinterpret_cast<f32x4>(wasm_f32x4_sqrt(reinterpret_cast<v128_t>(v)));
#elif defined(__SSE2__)
  return reinterpret_cast<f32x4>(_mm_sqrt_ps(reinterpret_cast<__m128>(v)));
#else
  return f32x4{std::sqrt(v[0]), std::sqrt(v[1]), std::sqrt(v[2]), std::sqrt(v[3])};
#endif
}

}  // namespace normlab
