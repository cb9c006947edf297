#include "util/mathfn.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace normlab::det {
namespace {

constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2 split so that k*kLn2Hi is exact
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
// pi/2 split as fdlibm's __ieee754_rem_pio2 splits it: pio2_1 has 33 bits (n * pio2_1 is exact for
// moderate n), pio2_1t = pi/2 - pio2_1, and two further pairs for arguments close to a multiple of pi/2.
constexpr double kPio2_1 = 1.57079632673412561417e+00;
constexpr double kPio2_1t = 6.07710050650619224932e-11;
constexpr double kPio2_2 = 6.07710050630396597660e-11;
constexpr double kPio2_2t = 2.02226624879595063154e-21;
constexpr double kPio2_3 = 2.02226624871116645580e-21;
constexpr double kPio2_3t = 8.47842766036889956997e-32;
constexpr double kTwoOverPi = 6.36619772367581382433e-01;

// Round to nearest integer without calling rint (whose behaviour depends on the rounding mode).
double round_half_away(double x) { return x >= 0 ? std::floor(x + 0.5) : -std::floor(-x + 0.5); }

// exp(r) - 1 for |r| <= ~0.35 by its Taylor series (terms fall faster than 0.35^n / n!).
double expm1_small(double r) {
  double term = r, sum = r;
  for (int n = 2; n <= 22; ++n) {
    term = term * r / n;
    sum += term;
  }
  return sum;
}

// sin and cos of y0 + y1 (|y0| <= pi/4, |y1| tiny: the tail of the reduction) by Taylor series.
double sin_small(double y0, double y1) {
  const double r2 = y0 * y0;
  double term = y0, sum = 0;
  for (int n = 1; n <= 13; ++n) {
    sum += term;
    term = -term * r2 / ((2 * n) * (2 * n + 1));
  }
  return sum + y1 * (1.0 - 0.5 * r2);
}
double cos_small(double y0, double y1) {
  const double r2 = y0 * y0;
  double term = 1.0, sum = 0;
  for (int n = 1; n <= 13; ++n) {
    sum += term;
    term = -term * r2 / ((2 * n - 1) * (2 * n));
  }
  return sum - y1 * y0;
}

int exponent_of(double v) {
  int e = 0;
  std::frexp(v, &e);
  return e;
}

// x = n * pi/2 + (y0 + y1), |y0 + y1| <= pi/4 (fdlibm's medium-size reduction, |x| < 2^20 pi/2);
// returns n mod 4.
int reduce_pio2(double x, double* y0, double* y1) {
  const double fn = round_half_away(x * kTwoOverPi);
  double r = x - fn * kPio2_1;
  double w = fn * kPio2_1t;
  double y = r - w;
  if (x != 0 && y != 0 && exponent_of(x) - exponent_of(y) > 16) {  // cancellation: second iteration
    double t = r;
    w = fn * kPio2_2;
    r = t - w;
    w = fn * kPio2_2t - ((t - r) - w);
    y = r - w;
    if (y != 0 && exponent_of(x) - exponent_of(y) > 49) {  // third iteration
      t = r;
      w = fn * kPio2_3;
      r = t - w;
      w = fn * kPio2_3t - ((t - r) - w);
      y = r - w;
    }
  }
  *y0 = y;
  *y1 = (r - y) - w;
  const long long q = static_cast<long long>(fn);
  return static_cast<int>(((q % 4) + 4) % 4);
}

}  // namespace

// 1/n! for n = 2 … 13, the Taylor coefficients of e^r − 1 − r.
constexpr double kInvFact[] = {1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                               1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
                               1.0 / 6227020800.0};

double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  const double k = round_half_away(x * kInvLn2);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= ln2/2
  // e^r = 1 + r + r²(1/2 + r(1/6 + … r/13!)) by Horner: the truncation r^14/14! < 5e-18.
  double p = kInvFact[11];
  for (int n = 10; n >= 0; --n) p = p * r + kInvFact[n];
  const double e = 1.0 + (r + r * r * p);
  const int ki = static_cast<int>(k);
  if (ki > -1022 && ki < 1023) {  // 2^k built from its bits: exact, and cheaper than ldexp
    const uint64_t bits = static_cast<uint64_t>(ki + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return e * scale;
  }
  return std::ldexp(e, ki);
}

double expm1(double x) {
  if (x == 0) return x;  // keeps the sign of zero
  if (std::fabs(x) < 0.3) return expm1_small(x);
  return exp(x) - 1.0;
}

double log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  double term = s, sum = 0.0;
  for (int n = 0; n < 16; ++n) {
    sum += term / (2 * n + 1);
    term *= s2;
  }
  return e * kLn2Hi + (2.0 * sum + e * kLn2Lo);
}

double sin(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return x;  // keeps the sign of zero
  double y0, y1;
  switch (reduce_pio2(x, &y0, &y1)) {
    case 0: return sin_small(y0, y1);
    case 1: return cos_small(y0, y1);
    case 2: return -sin_small(y0, y1);
    default: return -cos_small(y0, y1);
  }
}

double cos(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  double y0, y1;
  switch (reduce_pio2(x, &y0, &y1)) {
    case 0: return cos_small(y0, y1);
    case 1: return -sin_small(y0, y1);
    case 2: return -cos_small(y0, y1);
    default: return sin_small(y0, y1);
  }
}

double tanh(double x) {
  if (std::isnan(x) || x == 0) return x;  // keeps the sign of zero
  if (x > 20) return 1.0;
  if (x < -20) return -1.0;
  const double e = expm1(2.0 * x);  // tanh x = (e^{2x} - 1) / (e^{2x} + 1), accurate near 0
  return e / (e + 2.0);
}

// exp(-x²) without the rounding error of x·x (fdlibm's trick): x = hi + lo with hi holding 26 bits, so
// hi² is exact, and exp(-x²) = exp(-hi²) · exp(-(x − hi)(x + hi)).
double exp_minus_square(double x) {
  const double hi = std::ldexp(std::floor(std::ldexp(x, 20)), -20);  // x to 2^-20: hi² exact for |x| < 2^6
  return exp(-hi * hi) * exp(-(x - hi) * (x + hi));
}

double erf(double x) {
  if (std::isnan(x) || x == 0) return x;  // keeps the sign of zero
  const double ax = std::fabs(x);
  if (ax < 0.5) {
    // Maclaurin series: erf x = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); no cancellation for |x| < 0.5.
    const double x2 = x * x;
    double term = x, sum = x;
    for (int n = 1; n < 40; ++n) {
      term = -term * x2 / n;
      const double add = term / (2 * n + 1);
      sum += add;
      if (std::fabs(add) < 1e-18 * std::fabs(sum)) break;
    }
    return 1.12837916709551257390 * sum;
  }
  if (ax < 1.5) {
    // erf x = 2/sqrt(pi) · e^(−x²) · Σ 2^n x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6): every term
    // is positive, so nothing cancels.
    const double x2 = ax * ax;
    double term = ax, sum = ax;
    for (int n = 1; n < 200; ++n) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < 1e-18 * sum) break;
    }
    const double r = 1.12837916709551257390 * exp_minus_square(ax) * sum;
    return x > 0 ? r : -r;
  }
  const double c = erfc(ax);
  return x > 0 ? 1.0 - c : c - 1.0;
}

double erfc(double x) {
  if (std::isnan(x)) return x;
  if (x < 0.75) return 1.0 - erf(x);  // erfc > 0.28: at most 2 bits cancel
  if (x > 27.3) return 0.0;
  // erfc x = e^(−x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by Lentz's method: accurate to a
  // few tens of ulp from 0.75 on (343 terms there, 91 at x = 1.5, 33 at x = 3).
  const double tiny = 1e-300;
  double f = x, C = x, D = 0.0;
  for (int n = 1; n < 1000; ++n) {
    const double a = n * 0.5;
    D = x + a * D;
    D = D == 0 ? tiny : D;
    C = x + a / C;
    C = C == 0 ? tiny : C;
    D = 1.0 / D;
    const double delta = C * D;
    f *= delta;
    if (std::fabs(delta - 1.0) < 1e-17) break;
  }
  return exp_minus_square(x) / (1.77245385090551602730 * f);
}

double pow_int(double base, long long n) {
  double result = 1.0, b = base;
  bool negative = n < 0;
  unsigned long long u = negative ? -static_cast<unsigned long long>(n) : n;
  while (u) {
    if (u & 1) result *= b;
    b *= b;
    u >>= 1;
  }
  return negative ? 1.0 / result : result;
}

}  // namespace normlab::det
