// The data spec: JSON → DataSpec and back (declared in spec.h).
//   generated:        {"type": "moons", "points": 2000, "noise": 0.2, "seed": 0, "test_fraction": 0.2, "scale": 1, "shift": 0}
//   your own points:  {"type": "points", "x": [x0, y0, x1, y1, …], "y": [0, 1, …], "seed": 0, "test_fraction": 0.2, …}
// Points of your own are used exactly as given: no noise (absent or 0), `points` (if given) equals their number,
// and the seed orders the rows (make_dataset). Their sizes are checked before anything is allocated.
#include <cmath>
#include <iterator>

#include "jsonread.h"
#include "spec.h"

namespace normlab {
namespace {

const char* const kDatasetNames[] = {"moons", "circles", "spiral", "xor", "gauss", "points"};
constexpr int kDatasetCount = static_cast<int>(std::size(kDatasetNames));

std::string dataset_list() {
  std::string list;
  for (int k = 0; k < kDatasetCount; ++k) list += (k ? ", " : "") + std::string(kDatasetNames[k]);
  return list;
}

// "x": 2n finite coordinates within ±kMaxCoordinate, "y": n labels 0 or 1, n in [kMinPoints, kMaxOwnPoints].
Status parse_points(Fields& f, DataSpec* spec) {
  const json* x = f.get("x");
  const json* y = f.get("y");
  if (!y || y->is_null()) return Status::Error("y", "missing (the class of each point, 0 or 1)");
  if (!y->is_array()) return Status::Error("y", "must be an array of labels 0 or 1, got " + show(*y));
  if (!x || x->is_null()) return Status::Error("x", "missing (the points' coordinates: x0, y0, x1, y1, …)");
  if (!x->is_array()) return Status::Error("x", "must be an array of numbers x0, y0, x1, y1, …, got " + show(*x));
  const size_t n = y->size();
  if (n < static_cast<size_t>(kMinPoints))
    return Status::Error("y", "has " + std::to_string(n) + " labels; at least " + std::to_string(kMinPoints) + " points are needed");
  if (n > static_cast<size_t>(kMaxOwnPoints))
    return Status::Error("y", "has " + std::to_string(n) + " labels, more than the limit of " + std::to_string(kMaxOwnPoints) + " points");
  if (x->size() != 2 * n)
    return Status::Error("x", "has " + std::to_string(x->size()) + " numbers; the " + std::to_string(n) +
                              " labels in y need " + std::to_string(2 * n) + " (x0, y0, x1, y1, …)");
  double points = static_cast<double>(n);  // optional, but if given it must agree
  NORMLAB_TRY(f.integer("points", &points, false));
  if (points != static_cast<double>(n))
    return Status::Error("points", "must equal the number of points given (" + std::to_string(n) + "), got " + fmt(points));
  for (size_t i = 0; i < 2 * n; ++i) {
    const json& v = (*x)[i];
    const std::string name = "x[" + std::to_string(i) + "]";
    if (!v.is_number() || !std::isfinite(v.get<double>())) return Status::Error(name, "must be a finite number, got " + show(v));
    NORMLAB_TRY(range_error(name, v.get<double>(), -kMaxCoordinate, false, kMaxCoordinate, false));
  }
  for (size_t i = 0; i < n; ++i) {
    const json& v = (*y)[i];
    if (!v.is_number() || (v.get<double>() != 0 && v.get<double>() != 1))
      return Status::Error("y[" + std::to_string(i) + "]", "must be 0 or 1, got " + show(v));
  }
  spec->points = static_cast<int>(n);
  spec->x.reserve(2 * n);
  spec->y.reserve(n);
  for (size_t i = 0; i < 2 * n; ++i) spec->x.push_back((*x)[i].get<double>());
  for (size_t i = 0; i < n; ++i) spec->y.push_back((*y)[i].get<double>() == 1 ? 1 : 0);
  return Status::Ok();
}

}  // namespace

const char* dataset_kind_name(DatasetKind kind) { return kDatasetNames[static_cast<int>(kind)]; }

Status parse_data_spec(const std::string& text, DataSpec* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "data", &root));
  Fields f(root, "");
  DataSpec spec;
  const json* type = f.get("type");
  if (type) {
    const std::string t = type->is_string() ? type->get<std::string>() : show(*type);
    bool found = false;
    for (int k = 0; k < kDatasetCount; ++k)
      if (t == kDatasetNames[k]) spec.kind = static_cast<DatasetKind>(k), found = true;
    if (!found) return Status::Error("type", "unknown dataset " + show(t) + " (expected one of " + dataset_list() + ")");
  }
  const bool own = spec.kind == DatasetKind::Points;
  if (own) {
    spec.noise = 0;
    NORMLAB_TRY(parse_points(f, &spec));
  } else {
    double points = spec.points;
    NORMLAB_TRY(f.integer("points", &points, false));
    if (points < kMinPoints || points > kMaxPoints)
      return Status::Error("points", "must be an integer in [" + std::to_string(kMinPoints) + ", " + std::to_string(kMaxPoints) + "], got " + fmt(points));
    spec.points = static_cast<int>(points);
  }
  NORMLAB_TRY(f.number("noise", &spec.noise, false));
  if (own && spec.noise != 0)
    return Status::Error("noise", "must be 0 or absent for points of your own (they are used exactly as given), got " + fmt(spec.noise));
  NORMLAB_TRY(f.range("noise", spec.noise, 0, false, kMaxNoise, false));
  double seed = spec.seed;
  NORMLAB_TRY(f.integer("seed", &seed, false));
  if (seed < 0 || seed > kMaxSeed) return Status::Error("seed", "must be an integer in [0, " + fmt(kMaxSeed) + "], got " + fmt(seed));
  spec.seed = static_cast<uint32_t>(seed);
  NORMLAB_TRY(f.number("test_fraction", &spec.test_fraction, false));
  NORMLAB_TRY(f.range("test_fraction", spec.test_fraction, 0, false, kMaxTestFraction, false));
  NORMLAB_TRY(f.number("scale", &spec.scale, false));
  NORMLAB_TRY(f.range("scale", spec.scale, -kMaxInputScale, false, kMaxInputScale, false));
  if (spec.scale == 0) return Status::Error("scale", "must not be 0 (every point would be the same)");
  NORMLAB_TRY(f.number("shift", &spec.shift, false));
  NORMLAB_TRY(f.range("shift", spec.shift, -kMaxInputScale, false, kMaxInputScale, false));
  NORMLAB_TRY(f.finish("a dataset"));
  *out = std::move(spec);
  return Status::Ok();
}

std::string data_spec_to_json(const DataSpec& s) {
  json o;
  o["type"] = dataset_kind_name(s.kind);
  o["points"] = s.points;
  if (s.kind != DatasetKind::Points) o["noise"] = s.noise;
  o["seed"] = s.seed;
  o["test_fraction"] = s.test_fraction;
  o["scale"] = s.scale;
  o["shift"] = s.shift;
  if (s.kind == DatasetKind::Points) {
    o["x"] = s.x;
    o["y"] = s.y;
  }
  return o.dump();
}

}  // namespace normlab
