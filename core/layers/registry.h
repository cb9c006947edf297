// Every layer type in one table: its JSON name, its fields (with PyTorch's defaults and allowed values) and
// the function that builds it. The parser, the validator, the JSON writer (spec.cpp) and Sequential read
// this table and nothing else, so adding a layer type is: a LayerKind (spec.h), a LayerSpec member if it has
// a new setting, its file in layers/, and one row in registry.cpp (README: "Adding a layer type").
#pragma once
#include <memory>
#include <string>

#include "spec.h"

namespace normlab {

class Layer;

// One setting of a layer: {"type": "groupnorm", "groups": 8, "eps": 1e-5}.
struct LayerParam {
  enum Kind {
    Real,   // a finite number in [lo, hi] (open ends as flagged); lo = hi = 0: any finite number
    Count,  // a positive integer no larger than kMaxWidth (`count_of` names what it counts)
    Flag,   // true or false; written to JSON only when it differs from the default
    Layers  // the nested layers of a block
  };
  const char* key;
  Kind kind;
  double LayerSpec::*real = nullptr;
  int LayerSpec::*count = nullptr;
  bool LayerSpec::*flag = nullptr;
  double fallback = 0;           // PyTorch's default (Real; Flag: 0 or 1)
  double lo = 0, hi = 0;         // Real
  bool lo_open = false, hi_open = false;
  const char* required = nullptr;   // Count: why it must be given ("the number of output features")
  const char* count_of = nullptr;   // Count: "features", "groups"
  const char* null_message = nullptr;  // Real: what to say when it is given as null
};

inline constexpr int kMaxLayerParams = 2;

struct LayerType {
  LayerKind kind;
  const char* name;
  LayerParam params[kMaxLayerParams];
  int param_count;
  std::unique_ptr<Layer> (*make)(const LayerSpec& spec, int in);
};

const LayerType& layer_type(LayerKind kind);
const LayerType* find_layer_type(const std::string& name);  // null if unknown
std::string layer_type_list();                              // "linear, batchnorm, …"
std::unique_ptr<Layer> make_layer(const LayerSpec& spec, int in);

}  // namespace normlab
