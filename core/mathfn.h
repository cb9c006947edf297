// Deterministic elementary functions. glibc (native) and musl (wasm) implement exp/log/sin/erf differently,
// so a build that calls them cannot be bit-identical across the two. These use only +, -, *, /, sqrt and
// exact scaling (IEEE-exact on every platform), compute in double, and are accurate to a few ulp of double,
// so their float results are the correctly rounded values in all but vanishingly rare cases.
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
