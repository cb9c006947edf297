// Deterministic elementary functions. glibc (native) and musl (wasm) implement exp/log/sin/erf differently,
// so a build that calls them cannot be bit-identical across the two. These use only +, -, *, /, sqrt and
// exact scaling (IEEE-exact on every platform) and compute in double: exp, log, sin, cos, tanh to 4 ulp,
// expm1 and erf to 10, erfc to 40 (tests/native/mathfn_test.cpp measures them), so their float results are
// the correctly rounded values in all but vanishingly rare cases (0 mismatches in 10^6 per function).
// sin and cos reduce their argument as fdlibm does for |x| < 2^20·π/2 (about 1.6e6); beyond that they lose
// accuracy (normlab never calls them there).
#pragma once

namespace normlab::det {

double exp(double x);
double expm1(double x);
double log(double x);
double sin(double x);
double cos(double x);
double tanh(double x);
double erf(double x);
double erfc(double x);
double pow_int(double base, long long n);  // base^n by repeated squaring (exact order, deterministic)

}  // namespace normlab::det
