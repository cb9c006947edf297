// Points of your own ({"type": "points", "x": [...], "y": [...]}): every bad input refused with the field it
// names, sizes checked against the limits, the JSON round trip, and the dataset — the rows as given,
// shuffled by the data seed with NumPy's RandomState.shuffle, split as generated data is, scaled and shifted.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "data.h"
#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

// {"type": "points", "x": [i % 1000, −(i % 997), …], "y": [i % 2, …]} for n points, plus `extra` fields.
std::string points_json(int n, const std::string& extra = "") {
  std::string json = R"({"type": "points", "x": [)";
  for (int i = 0; i < n; ++i) json.append(i ? ", " : "").append(std::to_string(i % 1000)).append(", ").append(std::to_string(-(i % 997)));
  json += R"(], "y": [)";
  for (int i = 0; i < n; ++i) json.append(i ? ", " : "").append(std::to_string(i % 2));
  return json + "]" + extra + "}";
}

std::string error_of(const std::string& json) {
  DataSpec spec;
  const Status s = parse_data_spec(json, &spec);
  EXPECT_FALSE(s.ok()) << "accepted: " << json.substr(0, 200);
  return s.message();
}

std::string field_of(const std::string& json) {
  DataSpec spec;
  return parse_data_spec(json, &spec).field();
}

DataSpec parsed(const std::string& json) {
  DataSpec spec;
  const Status s = parse_data_spec(json, &spec);
  EXPECT_TRUE(s.ok()) << s.message();
  return spec;
}

TEST(OwnPoints, ParsesTheRowsAsGiven) {
  const DataSpec d = parsed(R"({"type": "points", "x": [0.5, -1, 2, 3.25, -4, 0, 1e-3, 1000], "y": [0, 1, 1, 0], "seed": 3})");
  EXPECT_EQ(d.kind, DatasetKind::Points);
  EXPECT_EQ(d.points, 4);
  EXPECT_EQ(d.noise, 0.0);
  EXPECT_EQ(d.seed, 3u);
  EXPECT_EQ(d.x, (std::vector<double>{0.5, -1, 2, 3.25, -4, 0, 1e-3, 1000}));
  EXPECT_EQ(d.y, (std::vector<int>{0, 1, 1, 0}));
  EXPECT_EQ(parsed(points_json(6, R"(, "points": 6, "noise": 0)")).points, 6);
  EXPECT_EQ(parsed(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3], "y": [1, 1.0, 0, 0.0]})").y, (std::vector<int>{1, 1, 0, 0}));
}

TEST(OwnPoints, MissingOrWrongArrays) {
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3]})"), "y: missing (the class of each point, 0 or 1)");
  EXPECT_EQ(error_of(R"({"type": "points", "y": [0, 1, 0, 1]})"), "x: missing (the points' coordinates: x0, y0, x1, y1, …)");
  EXPECT_EQ(error_of(R"({"type": "points", "x": "0,0", "y": [0, 1, 0, 1]})"),
            "x: must be an array of numbers x0, y0, x1, y1, …, got \"0,0\"");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [], "y": {"a": 1}})"), "y: must be an array of labels 0 or 1, got {\"a\":1}");
}

TEST(OwnPoints, CountsAreChecked) {
  EXPECT_EQ(error_of(points_json(3)), "y: has 3 labels; at least 4 points are needed");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3], "y": [0, 1, 0, 1]})"),
            "x: has 7 numbers; the 4 labels in y need 8 (x0, y0, x1, y1, …)");
  EXPECT_EQ(error_of(points_json(5, R"(, "points": 6)")), "points: must equal the number of points given (5), got 6");
  EXPECT_EQ(error_of(points_json(5, R"(, "points": 5.5)")), "points: must be an integer, got 5.5");
}

TEST(OwnPoints, TheLimitIsTwentyThousandRows) {
  EXPECT_EQ(kMaxOwnPoints, 20000);
  EXPECT_EQ(parsed(points_json(kMaxOwnPoints)).points, kMaxOwnPoints);
  EXPECT_EQ(error_of(points_json(kMaxOwnPoints + 1)), "y: has 20001 labels, more than the limit of 20000 points");
  // Refused by its size alone: a label array far beyond the limit (the coordinates are not even read).
  std::string many = R"({"type": "points", "x": [], "y": [)";
  for (int i = 0; i < 100000; ++i) many += i ? ",0" : "0";
  EXPECT_EQ(error_of(many + "]}"), "y: has 100000 labels, more than the limit of 20000 points");
}

TEST(OwnPoints, EveryCoordinateAndLabelIsNamed) {
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, "1", 2, 2, 3, 3], "y": [0, 1, 0, 1]})"), "x[3]: must be a finite number, got \"1\"");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, null, 3, 3], "y": [0, 1, 0, 1]})"), "x[5]: must be a finite number, got null");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 1000.5], "y": [0, 1, 0, 1]})"), "x[7]: must be in [-1000, 1000], got 1000.5");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [-1e308, 0, 1, 1, 2, 2, 3, 3], "y": [0, 1, 0, 1]})"), "x[0]: must be in [-1000, 1000], got -1e+308");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3], "y": [0, 1, 2, 1]})"), "y[2]: must be 0 or 1, got 2");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3], "y": [0, 1, 0, true]})"), "y[3]: must be 0 or 1, got true");
  EXPECT_EQ(error_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3], "y": [0.5, 1, 0, 1]})"), "y[0]: must be 0 or 1, got 0.5");
  EXPECT_EQ(field_of(R"({"type": "points", "x": [0, 0, 1, 1, 2, 2, 3, 3], "y": [0, 1, 0, -1]})"), "y[3]");
}

TEST(OwnPoints, NoiseMustBeAbsentOrZero) {
  EXPECT_EQ(error_of(points_json(4, R"(, "noise": 0.2)")),
            "noise: must be 0 or absent for points of your own (they are used exactly as given), got 0.2");
  EXPECT_EQ(parsed(points_json(4, R"(, "noise": 0)")).noise, 0.0);
  EXPECT_EQ(parsed(points_json(4, R"(, "noise": null)")).noise, 0.0);
}

TEST(OwnPoints, OtherFieldsAreCheckedAsForGeneratedData) {
  EXPECT_EQ(error_of(points_json(4, R"(, "seed": -1)")), "seed: must be an integer in [0, 4294967295], got -1");
  EXPECT_EQ(error_of(points_json(4, R"(, "scale": 0)")), "scale: must not be 0 (every point would be the same)");
  EXPECT_EQ(error_of(points_json(4, R"(, "labels": [0])")), "labels: unknown field for a dataset");
  // x and y are the points dataset's own fields: a generated dataset does not read them.
  EXPECT_EQ(error_of(R"({"type": "moons", "x": [0, 0]})"), "x: unknown field for a dataset");
}

TEST(OwnPoints, RoundTrip) {
  for (const std::string& json :
       {std::string(R"({"type": "points", "x": [0.1, -0.2, 3.3333333333333335, 1e-7, -1000, 1000, 0.001, -0], "y": [1, 0, 1, 1], "seed": 9, "test_fraction": 0.25, "scale": 5, "shift": 20})"),
        points_json(300)}) {
    SCOPED_TRACE(json.substr(0, 120));
    const DataSpec d = parsed(json);
    const std::string once = data_spec_to_json(d);
    const DataSpec again = parsed(once);
    EXPECT_EQ(data_spec_to_json(again), once);
    EXPECT_EQ(again.x, d.x);
    EXPECT_EQ(again.y, d.y);
    EXPECT_EQ(once.find("noise"), std::string::npos) << "points of your own have no noise to write";
  }
}

// The rows as given, then NumPy's RandomState(seed).shuffle of the row indices (Fisher–Yates from the end with
// masked rejection), written out here independently of data.cpp.
std::vector<int> numpy_shuffled_rows(int n, uint32_t seed) {
  std::vector<int> idx(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  NumpyRandomState rng(seed);
  for (int i = n - 1; i >= 1; --i) std::swap(idx[i], idx[rng.interval(static_cast<uint32_t>(i))]);
  return idx;
}

TEST(OwnPoints, TheDatasetIsTheRowsShuffledByTheSeedThenSplit) {
  const int n = 50;
  const DataSpec spec = parsed(points_json(n, R"(, "seed": 7, "test_fraction": 0.2)"));
  const Dataset all = make_dataset(spec);
  ASSERT_EQ(all.rows, n);
  const std::vector<int> order = numpy_shuffled_rows(n, 7);
  for (int r = 0; r < n; ++r) {
    EXPECT_EQ(all.x[2 * r], static_cast<float>(order[r])) << r;
    EXPECT_EQ(all.x[2 * r + 1], static_cast<float>(-order[r])) << r;
    EXPECT_EQ(all.y[r], order[r] % 2) << r;
  }
  // Every row exactly once.
  std::vector<float> firsts;
  for (int r = 0; r < n; ++r) firsts.push_back(all.x[2 * r]);
  std::sort(firsts.begin(), firsts.end());
  for (int r = 0; r < n; ++r) EXPECT_EQ(firsts[r], static_cast<float>(r));
  // The same seed gives the same rows; another seed another order.
  EXPECT_EQ(make_dataset(spec).x, all.x);
  DataSpec other = spec;
  other.seed = 8;
  EXPECT_NE(make_dataset(other).x, all.x);
  // The last round(n · test_fraction) rows test, as for generated data.
  Dataset train, test;
  split_dataset(all, spec.test_fraction, &train, &test);
  EXPECT_EQ(train.rows, 40);
  EXPECT_EQ(test.rows, 10);
  EXPECT_EQ(test.x[0], all.x[80]);
  EXPECT_EQ(test.y.back(), all.y.back());
}

TEST(OwnPoints, ScaleAndShiftApplyInDouble) {
  const Dataset d = make_dataset(parsed(R"({"type": "points", "x": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], "y": [0, 1, 0, 1], "scale": 5, "shift": 20})"));
  std::vector<float> want;
  for (double v : {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) want.push_back(static_cast<float>(v * 5 + 20));
  std::vector<float> got = d.x;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
}

TEST(OwnPoints, ALabTrainsOnThem) {
  Lab lab;
  // Two clusters, 20 points each, far apart: any model separates them.
  std::string x, y;
  for (int i = 0; i < 40; ++i) {
    const double c = i < 20 ? -1 : 1;
    x.append(i ? ", " : "").append(std::to_string(c + 0.01 * (i % 7))).append(", ").append(std::to_string(c - 0.01 * (i % 5)));
    y.append(i ? ", " : "").append(i < 20 ? "0" : "1");
  }
  ASSERT_TRUE(lab.set_data(R"({"type": "points", "x": [)" + x + R"(], "y": [)" + y + R"(], "test_fraction": 0.25})").ok());
  EXPECT_EQ(lab.train().rows, 30);
  EXPECT_EQ(lab.test().rows, 10);
  ASSERT_TRUE(lab.set_batch_size(8).ok());
  int index;
  ASSERT_TRUE(lab.add_run(R"({"input": 2, "layers": [{"type": "linear", "out": 8}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "linear", "out": 2}]})",
                          R"({"type": "adam", "lr": 0.05})", &index).ok());
  for (int s = 0; s < 80; ++s) lab.step(nullptr);
  double loss, accuracy;
  lab.evaluate(0, true, InferMode::Eval, &loss, &accuracy);
  EXPECT_EQ(accuracy, 1.0);
  EXPECT_LT(loss, 0.1);
}

TEST(OwnPoints, ACodeBuiltSpecWithTooFewCoordinatesIsRefused) {
  Lab lab;
  DataSpec d;
  d.kind = DatasetKind::Points;
  d.points = 4;
  d.x = {0, 0, 1, 1, 2, 2};
  d.y = {0, 1, 0, 1};
  EXPECT_EQ(lab.set_data(d).field(), "x");
  d.x.push_back(3), d.x.push_back(3);
  EXPECT_TRUE(lab.set_data(d).ok());
}

}  // namespace
}  // namespace normlab
