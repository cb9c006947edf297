// Datasets: two-class point clouds in the plane, seeded and deterministic. moons and circles are built
// exactly as scikit-learn's make_moons / make_circles build them (NumPy's legacy generator included), so
// a seed gives the lesson's very points: {"type": "moons", "points": 2000, "noise": 0.2, "seed": 0} equals
// make_moons(n_samples=2000, noise=0.2, random_state=0) cast to float32.
#pragma once
#include <vector>

#include "spec.h"

namespace normlab {

struct Dataset {
  int rows = 0;
  int features = 2;
  int classes = 2;
  std::vector<float> x;  // (rows × features)
  std::vector<int> y;    // (rows)
};

// All `points` rows, in generation order (already shuffled, as scikit-learn shuffles; points of your own are
// shuffled the same way, with the data seed).
Dataset make_dataset(const DataSpec& spec);
// The first rows train, the last round(points · test_fraction) rows test.
void split_dataset(const Dataset& all, double test_fraction, Dataset* train, Dataset* test);

}  // namespace normlab
