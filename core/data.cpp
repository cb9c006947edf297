#include "data.h"

#include <cmath>

#include "util/mathfn.h"
#include "util/rng.h"

namespace normlab {
namespace {

constexpr double kPi = 3.141592653589793;

// np.linspace(start, stop, num, endpoint): i * step + start, the last point set to stop exactly.
double linspace(double start, double stop, int num, int i, bool endpoint) {
  const int div = endpoint ? num - 1 : num;
  if (div <= 0) return start;
  const double step = (stop - start) / div;
  if (endpoint && i == num - 1) return stop;
  return i * step + start;
}

// scikit-learn's shuffle + noise tail of make_moons / make_circles: permute rows with
// RandomState.shuffle on an index array, then add normal(scale=noise) to every coordinate in row order
// (points of your own get the shuffle only: they are used exactly as given).
// Then the lab's input transform, x · scale + shift, still in double (as `X * 5 + 20` on make_moons' float64
// output would be), and only then the cast to float.
Dataset shuffle_and_noise(const std::vector<double>& px, const std::vector<double>& py, const std::vector<int>& label,
                          const DataSpec& spec, NumpyRandomState& rng) {
  const int n = static_cast<int>(label.size());
  std::vector<int> idx(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  rng.shuffle(idx.data(), n);
  Dataset d;
  d.rows = n;
  d.x.resize(2 * static_cast<size_t>(n));
  d.y.resize(n);
  std::vector<double> xy(2 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    xy[2 * i] = px[idx[i]];
    xy[2 * i + 1] = py[idx[i]];
    d.y[i] = label[idx[i]];
  }
  if (spec.kind != DatasetKind::Points)
    for (size_t k = 0; k < xy.size(); ++k) xy[k] += rng.normal(0.0, spec.noise);
  const bool transform = spec.scale != 1.0 || spec.shift != 0.0;
  for (size_t k = 0; k < xy.size(); ++k) d.x[k] = static_cast<float>(transform ? xy[k] * spec.scale + spec.shift : xy[k]);
  return d;
}

}  // namespace

Dataset make_dataset(const DataSpec& spec) {
  NumpyRandomState rng(spec.seed);
  const int n = spec.points;
  const int n_out = n / 2, n_in = n - n_out;  // scikit-learn: class 0 gets n // 2
  std::vector<double> px, py;
  std::vector<int> label;
  px.reserve(n), py.reserve(n), label.reserve(n);
  switch (spec.kind) {
    case DatasetKind::Moons:
      // outer arc (cos t, sin t), inner arc (1 − cos t, 1 − sin t − 0.5), t evenly spaced on [0, π]
      for (int i = 0; i < n_out; ++i) {
        const double t = linspace(0, kPi, n_out, i, true);
        px.push_back(det::cos(t)), py.push_back(det::sin(t)), label.push_back(0);
      }
      for (int i = 0; i < n_in; ++i) {
        const double t = linspace(0, kPi, n_in, i, true);
        px.push_back(1 - det::cos(t)), py.push_back(1 - det::sin(t) - 0.5), label.push_back(1);
      }
      break;
    case DatasetKind::Circles:
      // make_circles(factor=0.8): outer circle radius 1, inner radius 0.8, t on [0, 2π) without endpoint
      for (int i = 0; i < n_out; ++i) {
        const double t = linspace(0, 2 * kPi, n_out, i, false);
        px.push_back(det::cos(t)), py.push_back(det::sin(t)), label.push_back(0);
      }
      for (int i = 0; i < n_in; ++i) {
        const double t = linspace(0, 2 * kPi, n_in, i, false);
        px.push_back(det::cos(t) * 0.8), py.push_back(det::sin(t) * 0.8), label.push_back(1);
      }
      break;
    case DatasetKind::Spiral:
      // two interleaved arms, radius growing from 0 to 1 over 1.75 turns
      for (int c = 0; c < 2; ++c) {
        const int m = c == 0 ? n_out : n_in;
        for (int i = 0; i < m; ++i) {
          const double r = static_cast<double>(i) / m;
          const double t = 1.75 * r * 2 * kPi + c * kPi;
          px.push_back(r * det::sin(t)), py.push_back(r * det::cos(t)), label.push_back(c);
        }
      }
      break;
    case DatasetKind::Xor:
      // uniform in [−1, 1]², label 1 where x·y > 0 (points within 0.05 of an axis are pushed off it)
      for (int i = 0; i < n; ++i) {
        double a = 2 * rng.random_double() - 1, b = 2 * rng.random_double() - 1;
        a += a > 0 ? 0.05 : -0.05;
        b += b > 0 ? 0.05 : -0.05;
        px.push_back(a), py.push_back(b), label.push_back(a * b > 0 ? 1 : 0);
      }
      break;
    case DatasetKind::Gauss:
      // two round blobs of std 0.25 centred at (−0.5, −0.5) and (0.5, 0.5); noise widens them further
      for (int c = 0; c < 2; ++c) {
        const int m = c == 0 ? n_out : n_in;
        const double centre = c == 0 ? -0.5 : 0.5;
        for (int i = 0; i < m; ++i) {
          const double a = rng.normal(centre, 0.25), b = rng.normal(centre, 0.25);
          px.push_back(a), py.push_back(b), label.push_back(c);
        }
      }
      break;
    case DatasetKind::Points:
      // the rows as given (parse_data_spec checked them); only the shuffle below orders them
      for (int i = 0; i < n; ++i) px.push_back(spec.x[2 * i]), py.push_back(spec.x[2 * i + 1]), label.push_back(spec.y[i]);
      break;
  }
  return shuffle_and_noise(px, py, label, spec, rng);
}

void split_dataset(const Dataset& all, double test_fraction, Dataset* train, Dataset* test) {
  const int n_test = static_cast<int>(std::floor(all.rows * test_fraction + 0.5));
  const int n_train = all.rows - n_test;
  const int f = all.features;
  *train = Dataset{n_train, f, all.classes, std::vector<float>(all.x.begin(), all.x.begin() + static_cast<size_t>(n_train) * f),
                   std::vector<int>(all.y.begin(), all.y.begin() + n_train)};
  *test = Dataset{n_test, f, all.classes, std::vector<float>(all.x.begin() + static_cast<size_t>(n_train) * f, all.x.end()),
                  std::vector<int>(all.y.begin() + n_train, all.y.end())};
}

}  // namespace normlab
