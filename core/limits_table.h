// The engine's limits, in one table: every range the core checks on the values it is given. They keep a
// page responsive and a URL honest. M.limits() hands the table to JS; the page's own, narrower limits
// (web/state/limits.ts) are tested to lie inside these (tests/node/limits.test.mjs).
#pragma once
#include <string>

#include "util/status.h"

namespace normlab {

struct Limit {
  const char* field;  // the field name errors use ("points", "batch_size", …)
  double min, max;
  bool integer;
  const char* what;   // what is limited, for the JSON's readers
};

inline constexpr int kMaxWidth = 1024;          // features of the input and of any layer
inline constexpr int kMaxLinearLayers = 16;
inline constexpr int kMaxLayerEntries = 64;     // layer objects in a model, nested ones included
inline constexpr int kMinPoints = 4, kMaxPoints = 100000;
inline constexpr int kMaxOwnPoints = 20000;     // points of your own ({"type": "points"}): every one is in the JSON
inline constexpr double kMaxCoordinate = 1000;  // |each coordinate| of a point of your own
inline constexpr double kMaxNoise = 10;
inline constexpr double kMaxTestFraction = 0.9;
inline constexpr double kMaxInputScale = 1000;  // |scale| and |shift| of the data
inline constexpr double kMaxSeed = 4294967295.0;  // torch.manual_seed and random_state: 32-bit seeds here
inline constexpr int kMaxBatch = 4096;
inline constexpr int kMaxRuns = 8;
inline constexpr int kMinGrid = 2, kMaxGrid = 2048;  // boundary grid width and height
inline constexpr int kMaxInspectDim = 64, kMaxInspectElements = 4096;  // the normalization inspector's tensor
inline constexpr int kMaxJsonDepth = 256;         // arrays and objects nested in one JSON document
inline constexpr int kMaxValues = 1 << 24;        // numbers in one array in or out of the engine (64 MB of floats)
inline constexpr int kMaxActivations = 1 << 25;   // rows × the widths of every layer, for one training batch
inline constexpr double kMinInitScale = 0.1, kMaxInitScale = 10;  // a model's init_scale
inline constexpr int kMaxSmoothnessSteps = 64;    // step sizes one smoothness measurement evaluates
inline constexpr int kMaxSampleEpochs = 1024;     // epoch orders one Lab::sample_epochs draws

inline constexpr Limit kLimits[] = {
    {"width", 1, kMaxWidth, true, "features of the input and of any layer"},
    {"linear_layers", 1, kMaxLinearLayers, true, "linear layers in a model"},
    {"layers", 1, kMaxLayerEntries, true, "layer objects in a model, nested ones included"},
    {"points", kMinPoints, kMaxPoints, true, "points in a dataset"},
    {"own_points", kMinPoints, kMaxOwnPoints, true, "points of your own in a dataset (type points: x and y)"},
    {"coordinate", -kMaxCoordinate, kMaxCoordinate, false, "each coordinate of a point of your own"},
    {"noise", 0, kMaxNoise, false, "the dataset's noise"},
    {"test_fraction", 0, kMaxTestFraction, false, "the share of points held out for testing"},
    {"scale", -kMaxInputScale, kMaxInputScale, false, "every input becomes x · scale + shift"},
    {"shift", -kMaxInputScale, kMaxInputScale, false, "every input becomes x · scale + shift"},
    {"seed", 0, kMaxSeed, true, "any seed"},
    {"batch_size", 1, kMaxBatch, true, "rows per training batch"},
    {"runs", 1, kMaxRuns, true, "runs in one lab"},
    {"grid", kMinGrid, kMaxGrid, true, "a boundary grid's width and height"},
    {"inspect_dim", 1, kMaxInspectDim, true, "each dimension of the inspector's tensor"},
    {"inspect_elements", 1, kMaxInspectElements, true, "elements of the inspector's tensor (and of randn)"},
    {"json_depth", 1, kMaxJsonDepth, true, "arrays and objects nested in one JSON document"},
    {"values", 0, kMaxValues, true, "numbers in one array handed to the engine or returned by it"},
    {"activations", 1, kMaxActivations, true, "rows × the output widths of every layer, for one forward pass in training"},
    {"init_scale", kMinInitScale, kMaxInitScale, false, "a model's factor on PyTorch's default initialization of its linear layers"},
    {"smoothness_steps", 1, kMaxSmoothnessSteps, true, "step sizes one smoothness measurement evaluates (each a forward and backward pass)"},
    {"sample_epochs", 1, kMaxSampleEpochs, true, "epoch orders one lab.sampleEpochs draws (and count × training rows ≤ values)"},
};

// The shortest decimal that reads back as the same double: 0.1, not 0.10000000000000001 (messages echo values
// with it).
std::string fmt(double v);
// {"points": {"min": 4, "max": 100000, "integer": true, "what": "points in a dataset"}, …}
std::string limits_json();
// "seed": an integer in [0, kMaxSeed]; `field` names the argument in the error.
Status check_seed(double seed, const char* field = "seed");
// A number from JS that must be an int (an index, a count): 1.5 and 2^32 + 1 are errors, never 1.
Status check_int(double v, const char* field);

}  // namespace normlab
