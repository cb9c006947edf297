#include "spec.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace normlab {
namespace {

using json = nlohmann::json;

std::string show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// The shortest decimal that reads back as the same double: 0.1, not 0.10000000000000001.
std::string fmt(double v) {
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {  // integers as integers: 2000, not 2e+03
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

Status range_error(const std::string& name, double v, double lo, bool lo_open, double hi, bool hi_open) {
  const bool bad_lo = lo_open ? !(v > lo) : !(v >= lo);
  const bool bad_hi = hi_open ? !(v < hi) : !(v <= hi);
  if (!bad_lo && !bad_hi) return Status::Ok();
  return Status::Error(name, std::string("must be in ") + (lo_open ? "(" : "[") + fmt(lo) + ", " + (std::isinf(hi) ? "inf" : fmt(hi)) +
                       (hi_open ? ")" : "]") + ", got " + fmt(v));
}

// A count of features or groups: a positive integer no larger than kMaxWidth.
Status count_error(const std::string& name, double v, const char* what) {
  if (!(v > 0)) return Status::Error(name, "must be a positive integer, got " + fmt(v));
  if (v > kMaxWidth)
    return Status::Error(name, fmt(v) + " " + what + " is " + (std::string(what) == "features" ? "wider" : "more") +
                         " than the limit of " + std::to_string(kMaxWidth));
  return Status::Ok();
}

// A SAX handler that accepts everything and remembers where parsing failed, for a message with a position.
struct ErrorLocator : nlohmann::json_sax<json> {
  size_t position = 0;
  std::string token;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string& last, const nlohmann::detail::exception&) override {
    position = pos;
    token = last;
    return false;
  }
};

Status parse_json(const std::string& text, const char* what, json* out) {
  *out = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!out->is_discarded()) {
    if (!out->is_object()) return Status::Error(what, "expected a JSON object, got " + show(*out));
    return Status::Ok();
  }
  ErrorLocator locator;
  json::sax_parse(text, &locator, json::input_format_t::json, /*strict=*/true);
  std::string near = locator.token.size() > 20 ? locator.token.substr(0, 20) + "..." : locator.token;
  return Status::Error(what, "malformed JSON at character " + std::to_string(locator.position) +
                       (near.empty() ? std::string() : " near '" + near + "'"));
}

// Reads the fields of one JSON object, remembering which were read so unknown ones can be reported.
class Fields {
 public:
  Fields(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const json* get(const char* key) {
    used_.push_back(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  bool has(const char* key) const { return obj_.find(key) != obj_.end(); }

  // A finite number; `required` fields report "missing".
  Status number(const char* key, double* out, bool required, const char* why = nullptr) {
    const json* v = get(key);
    if (!v || v->is_null()) {
      if (required) return Status::Error(name(key), "missing" + (why ? std::string(" (") + why + ")" : ""));
      return Status::Ok();
    }
    if (!v->is_number()) return Status::Error(name(key), "must be a number, got " + show(*v));
    const double d = v->get<double>();
    if (!std::isfinite(d)) return Status::Error(name(key), "must be finite, got " + show(*v));
    *out = d;
    return Status::Ok();
  }
  // A number with an integral value (64 and 64.0 both); range checks are the caller's.
  Status integer(const char* key, double* out, bool required, const char* why = nullptr) {
    double d = *out;
    Status s = number(key, &d, required, why);
    if (!s.ok()) return s;
    if (d != std::floor(d)) return Status::Error(name(key), "must be an integer, got " + show(*get(key)));
    *out = d;
    return Status::Ok();
  }
  Status boolean(const char* key, bool* out) {
    const json* v = get(key);
    if (!v || v->is_null()) return Status::Ok();
    if (!v->is_boolean()) return Status::Error(name(key), "must be true or false, got " + show(*v));
    *out = v->get<bool>();
    return Status::Ok();
  }
  Status range(const char* key, double v, double lo, bool lo_open, double hi, bool hi_open) const {
    return range_error(name(key), v, lo, lo_open, hi, hi_open);
  }
  // Reports the first field that was never read.
  Status finish(const std::string& what) const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      bool known = false;
      for (const auto& u : used_) known = known || u == it.key();
      if (!known) return Status::Error(name(it.key().c_str()), "unknown field for " + what);
    }
    return Status::Ok();
  }

 private:
  const json& obj_;
  std::string path_;
  std::vector<std::string> used_;
};

#define NORMLAB_TRY(expr)             \
  do {                                \
    Status _s = (expr);               \
    if (!_s.ok()) return _s;          \
  } while (0)

struct KindName {
  LayerKind kind;
  const char* name;
};
constexpr KindName kLayerKinds[] = {
    {LayerKind::Linear, "linear"},       {LayerKind::BatchNorm, "batchnorm"}, {LayerKind::LayerNorm, "layernorm"},
    {LayerKind::RMSNorm, "rmsnorm"},     {LayerKind::GroupNorm, "groupnorm"}, {LayerKind::Dropout, "dropout"},
    {LayerKind::ReLU, "relu"},           {LayerKind::Tanh, "tanh"},           {LayerKind::Sigmoid, "sigmoid"},
    {LayerKind::GELU, "gelu"},           {LayerKind::LeakyReLU, "leaky_relu"}, {LayerKind::Residual, "residual"},
};

std::string layer_kind_list() {
  std::string s;
  for (const auto& k : kLayerKinds) s += (s.empty() ? "" : ", ") + std::string(k.name);
  return s;
}

Status parse_layers(const json& arr, const std::string& path, std::vector<LayerSpec>* out, int* entries);

// Reads one layer's fields (types and integrality); value ranges are checked by validate_model_spec.
Status parse_layer(const json& obj, const std::string& path, LayerSpec* layer, int* entries) {
  if (!obj.is_object()) return Status::Error(path, "expected an object like {\"type\": \"relu\"}, got " + show(obj));
  Fields f(obj, path);
  const json* type = f.get("type");
  if (!type) return Status::Error(f.name("type"), "missing (one of " + layer_kind_list() + ")");
  if (!type->is_string()) return Status::Error(f.name("type"), "must be a string, got " + show(*type));
  const std::string t = type->get<std::string>();
  bool found = false;
  for (const auto& k : kLayerKinds)
    if (t == k.name) {
      layer->kind = k.kind;
      found = true;
    }
  if (!found) return Status::Error(f.name("type"), "unknown layer type \"" + t + "\" (expected one of " + layer_kind_list() + ")");

  switch (layer->kind) {
    case LayerKind::Linear: {
      double out = 0;
      NORMLAB_TRY(f.integer("out", &out, true, "the number of output features"));
      NORMLAB_TRY(count_error(f.name("out"), out, "features"));
      layer->out = static_cast<int>(out);
      NORMLAB_TRY(f.boolean("bias", &layer->bias));
      break;
    }
    case LayerKind::BatchNorm:
      layer->eps = 1e-5;
      NORMLAB_TRY(f.number("eps", &layer->eps, false));
      if (f.has("momentum") && obj["momentum"].is_null())
        return Status::Error(f.name("momentum"), "null (PyTorch's cumulative average) is not supported; give a number in [0, 1]");
      NORMLAB_TRY(f.number("momentum", &layer->momentum, false));
      break;
    case LayerKind::LayerNorm:
    case LayerKind::RMSNorm:
      layer->eps = layer->kind == LayerKind::RMSNorm ? 1e-6 : 1e-5;
      NORMLAB_TRY(f.number("eps", &layer->eps, false));
      break;
    case LayerKind::GroupNorm: {
      layer->eps = 1e-5;
      double groups = 0;
      NORMLAB_TRY(f.integer("groups", &groups, true, "the number of groups the features are split into"));
      NORMLAB_TRY(count_error(f.name("groups"), groups, "groups"));
      layer->groups = static_cast<int>(groups);
      NORMLAB_TRY(f.number("eps", &layer->eps, false));
      break;
    }
    case LayerKind::Dropout:
      NORMLAB_TRY(f.number("p", &layer->p, false));
      break;
    case LayerKind::LeakyReLU:
      NORMLAB_TRY(f.number("slope", &layer->slope, false));
      break;
    case LayerKind::Residual: {
      const json* inner = f.get("layers");
      if (!inner) return Status::Error(f.name("layers"), "missing (the block's inner layers)");
      NORMLAB_TRY(parse_layers(*inner, f.name("layers"), &layer->layers, entries));
      break;
    }
    default:
      break;
  }
  return f.finish(t + " layer");
}

// Counts the layer objects in `layers` arrays, nested ones included, without recursion (an explicit stack),
// so that a hostile input cannot overflow the stack before the limit is checked.
int count_layers(const json& layers) {
  int count = 0;
  std::vector<const json*> todo{&layers};
  while (!todo.empty()) {
    const json* arr = todo.back();
    todo.pop_back();
    if (!arr->is_array()) continue;
    for (const auto& l : *arr) {
      ++count;
      if (l.is_object()) {
        auto it = l.find("layers");
        if (it != l.end()) todo.push_back(&*it);
      }
    }
  }
  return count;
}

Status too_many_layers(int n) {
  return Status::Error("layers", std::to_string(n) + " layers is more than the limit of " + std::to_string(kMaxLayerEntries));
}

// `entries` counts every layer read so far, nested ones included: a second guard on recursion depth.
Status parse_layers(const json& arr, const std::string& path, std::vector<LayerSpec>* out, int* entries) {
  if (!arr.is_array()) return Status::Error(path, "must be an array of layers, got " + show(arr));
  if (arr.empty()) return Status::Error(path, "must contain at least one layer");
  out->resize(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    if (++*entries > kMaxLayerEntries) return too_many_layers(*entries);
    NORMLAB_TRY(parse_layer(arr[i], path + "[" + std::to_string(i) + "]", &(*out)[i], entries));
  }
  return Status::Ok();
}

struct WalkCounts {
  int linear = 0, entries = 0;
};

// Follows the width through the layers, checking what depends on it. Returns the output width in *width.
Status walk(std::vector<LayerSpec>& layers, const std::string& path, int* width, WalkCounts* counts) {
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerSpec& l = layers[i];
    const std::string here = path + "[" + std::to_string(i) + "]";
    counts->entries++;
    if (counts->entries > kMaxLayerEntries) return Status::Ok();  // reported by the caller
    switch (l.kind) {
      case LayerKind::Linear:
        NORMLAB_TRY(count_error(here + ".out", l.out, "features"));
        counts->linear++;
        *width = l.out;
        break;
      case LayerKind::BatchNorm:
        NORMLAB_TRY(range_error(here + ".eps", l.eps, 0, true, INFINITY, true));
        NORMLAB_TRY(range_error(here + ".momentum", l.momentum, 0, false, 1, false));
        break;
      case LayerKind::LayerNorm:
      case LayerKind::RMSNorm:
        NORMLAB_TRY(range_error(here + ".eps", l.eps, 0, true, INFINITY, true));
        break;
      case LayerKind::Dropout:
        NORMLAB_TRY(range_error(here + ".p", l.p, 0, false, 1, true));
        break;
      case LayerKind::LeakyReLU:
        if (!std::isfinite(l.slope)) return Status::Error(here + ".slope", "must be finite, got " + fmt(l.slope));
        break;
      case LayerKind::GroupNorm:
        NORMLAB_TRY(count_error(here + ".groups", l.groups, "groups"));
        NORMLAB_TRY(range_error(here + ".eps", l.eps, 0, true, INFINITY, true));
        if (*width % l.groups != 0)
          return Status::Error(here + ".groups", std::to_string(*width) + " features cannot be split into " +
                               std::to_string(l.groups) + " groups");
        break;
      case LayerKind::Residual: {
        if (l.layers.empty()) return Status::Error(here + ".layers", "must contain at least one layer");
        int inner = *width;
        NORMLAB_TRY(walk(l.layers, here + ".layers", &inner, counts));
        if (inner != *width)
          return Status::Error(here, "a residual block must keep the width (x + f(x)), but it maps " +
                               std::to_string(*width) + " features to " + std::to_string(inner));
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

const char* kDatasetNames[] = {"moons", "circles", "spiral", "xor", "gauss"};

}  // namespace

const char* layer_kind_name(LayerKind kind) {
  for (const auto& k : kLayerKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

const char* dataset_kind_name(DatasetKind kind) { return kDatasetNames[static_cast<int>(kind)]; }

Status validate_model_spec(ModelSpec* spec) {
  if (spec->input < 1 || spec->input > kMaxWidth)
    return Status::Error("input", "must be an integer in [1, " + std::to_string(kMaxWidth) + "], got " + std::to_string(spec->input));
  int width = spec->input;
  WalkCounts counts;
  NORMLAB_TRY(walk(spec->layers, "layers", &width, &counts));
  if (counts.linear == 0) return Status::Error("layers", "a model needs at least one linear layer (its last one gives the class scores)");
  if (counts.linear > kMaxLinearLayers)
    return Status::Error("layers", std::to_string(counts.linear) + " linear layers is more than the limit of " + std::to_string(kMaxLinearLayers));
  if (counts.entries > kMaxLayerEntries) return too_many_layers(counts.entries);
  if (width < 2)
    return Status::Error("layers", "the last linear layer's out is the number of classes and must be at least 2, got " + std::to_string(width));
  spec->classes = width;
  return Status::Ok();
}

Status parse_model_spec(const std::string& text, ModelSpec* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "model", &root));
  Fields f(root, "");
  ModelSpec spec;
  double input = 0;
  NORMLAB_TRY(f.integer("input", &input, true, "the number of input features"));
  if (input < 1 || input > kMaxWidth)
    return Status::Error("input", "must be an integer in [1, " + std::to_string(kMaxWidth) + "], got " + fmt(input));
  spec.input = static_cast<int>(input);
  const json* layers = f.get("layers");
  if (!layers) return Status::Error("layers", "missing");
  const int total = count_layers(*layers);
  if (total > kMaxLayerEntries) return too_many_layers(total);
  int entries = 0;
  NORMLAB_TRY(parse_layers(*layers, "layers", &spec.layers, &entries));
  NORMLAB_TRY(f.finish("a model"));
  NORMLAB_TRY(validate_model_spec(&spec));
  *out = std::move(spec);
  return Status::Ok();
}

Status parse_optimizer_spec(const std::string& text, OptimizerSpec* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "optimizer", &root));
  Fields f(root, "");
  OptimizerSpec spec;
  const json* type = f.get("type");
  if (!type) return Status::Error("type", "missing (one of sgd, adam, adamw)");
  const std::string t = type->is_string() ? type->get<std::string>() : show(*type);
  if (t == "sgd") spec.kind = OptimizerKind::SGD;
  else if (t == "adam") spec.kind = OptimizerKind::Adam;
  else if (t == "adamw") spec.kind = OptimizerKind::AdamW, spec.weight_decay = 0.01;
  else return Status::Error("type", "unknown optimizer \"" + t + "\" (expected one of sgd, adam, adamw)");

  NORMLAB_TRY(f.number("lr", &spec.lr, spec.kind == OptimizerKind::SGD, "sgd has no default learning rate"));
  NORMLAB_TRY(f.range("lr", spec.lr, 0, true, INFINITY, true));
  NORMLAB_TRY(f.number("weight_decay", &spec.weight_decay, false));
  NORMLAB_TRY(f.range("weight_decay", spec.weight_decay, 0, false, INFINITY, true));
  if (spec.kind == OptimizerKind::SGD) {
    NORMLAB_TRY(f.number("momentum", &spec.momentum, false));
    NORMLAB_TRY(f.range("momentum", spec.momentum, 0, false, INFINITY, true));
    NORMLAB_TRY(f.number("dampening", &spec.dampening, false));
    NORMLAB_TRY(f.range("dampening", spec.dampening, 0, false, INFINITY, true));
    NORMLAB_TRY(f.boolean("nesterov", &spec.nesterov));
    if (spec.nesterov && (spec.momentum <= 0 || spec.dampening != 0))
      return Status::Error("nesterov", "Nesterov momentum requires a momentum > 0 and zero dampening");
  } else {
    NORMLAB_TRY(f.number("eps", &spec.eps, false));
    NORMLAB_TRY(f.range("eps", spec.eps, 0, false, INFINITY, true));
    const json* betas = f.get("betas");
    if (betas && !betas->is_null()) {
      if (!betas->is_array() || betas->size() != 2 || !(*betas)[0].is_number() || !(*betas)[1].is_number())
        return Status::Error("betas", "must be an array of two numbers, got " + show(*betas));
      spec.beta1 = (*betas)[0].get<double>();
      spec.beta2 = (*betas)[1].get<double>();
      if (!(spec.beta1 >= 0 && spec.beta1 < 1)) return Status::Error("betas[0]", "must be in [0, 1), got " + fmt(spec.beta1));
      if (!(spec.beta2 >= 0 && spec.beta2 < 1)) return Status::Error("betas[1]", "must be in [0, 1), got " + fmt(spec.beta2));
    }
  }
  NORMLAB_TRY(f.finish(t + " optimizer"));
  *out = spec;
  return Status::Ok();
}

Status parse_data_spec(const std::string& text, DataSpec* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "data", &root));
  Fields f(root, "");
  DataSpec spec;
  const json* type = f.get("type");
  if (type) {
    const std::string t = type->is_string() ? type->get<std::string>() : show(*type);
    bool found = false;
    for (int k = 0; k < 5; ++k)
      if (t == kDatasetNames[k]) spec.kind = static_cast<DatasetKind>(k), found = true;
    if (!found) return Status::Error("type", "unknown dataset \"" + t + "\" (expected one of moons, circles, spiral, xor, gauss)");
  }
  double points = spec.points, seed = spec.seed;
  NORMLAB_TRY(f.integer("points", &points, false));
  if (points < 4 || points > kMaxPoints)
    return Status::Error("points", "must be an integer in [4, " + std::to_string(kMaxPoints) + "], got " + fmt(points));
  spec.points = static_cast<int>(points);
  NORMLAB_TRY(f.number("noise", &spec.noise, false));
  NORMLAB_TRY(f.range("noise", spec.noise, 0, false, 10, false));
  NORMLAB_TRY(f.integer("seed", &seed, false));
  if (seed < 0 || seed > 4294967295.0) return Status::Error("seed", "must be an integer in [0, 4294967295], got " + fmt(seed));
  spec.seed = static_cast<uint32_t>(seed);
  NORMLAB_TRY(f.number("test_fraction", &spec.test_fraction, false));
  NORMLAB_TRY(f.range("test_fraction", spec.test_fraction, 0, false, 0.9, false));
  NORMLAB_TRY(f.number("scale", &spec.scale, false));
  NORMLAB_TRY(f.range("scale", spec.scale, -1000, false, 1000, false));
  if (spec.scale == 0) return Status::Error("scale", "must not be 0 (every point would be the same)");
  NORMLAB_TRY(f.number("shift", &spec.shift, false));
  NORMLAB_TRY(f.range("shift", spec.shift, -1000, false, 1000, false));
  NORMLAB_TRY(f.finish("a dataset"));
  *out = spec;
  return Status::Ok();
}

namespace {
json layers_to_json(const std::vector<LayerSpec>& layers) {
  json arr = json::array();
  for (const auto& l : layers) {
    json o;
    o["type"] = layer_kind_name(l.kind);
    switch (l.kind) {
      case LayerKind::Linear: o["out"] = l.out; if (!l.bias) o["bias"] = false; break;
      case LayerKind::BatchNorm: o["momentum"] = l.momentum; o["eps"] = l.eps; break;
      case LayerKind::LayerNorm: case LayerKind::RMSNorm: o["eps"] = l.eps; break;
      case LayerKind::GroupNorm: o["groups"] = l.groups; o["eps"] = l.eps; break;
      case LayerKind::Dropout: o["p"] = l.p; break;
      case LayerKind::LeakyReLU: o["slope"] = l.slope; break;
      case LayerKind::Residual: o["layers"] = layers_to_json(l.layers); break;
      default: break;
    }
    arr.push_back(std::move(o));
  }
  return arr;
}
}  // namespace

std::string model_spec_to_json(const ModelSpec& spec) {
  json o;
  o["input"] = spec.input;
  o["layers"] = layers_to_json(spec.layers);
  return o.dump();
}

std::string optimizer_spec_to_json(const OptimizerSpec& s) {
  json o;
  o["type"] = s.kind == OptimizerKind::SGD ? "sgd" : s.kind == OptimizerKind::Adam ? "adam" : "adamw";
  o["lr"] = s.lr;
  o["weight_decay"] = s.weight_decay;
  if (s.kind == OptimizerKind::SGD) {
    o["momentum"] = s.momentum;
    o["dampening"] = s.dampening;
    o["nesterov"] = s.nesterov;
  } else {
    o["betas"] = json::array({s.beta1, s.beta2});
    o["eps"] = s.eps;
  }
  return o.dump();
}

std::string data_spec_to_json(const DataSpec& s) {
  json o;
  o["type"] = dataset_kind_name(s.kind);
  o["points"] = s.points;
  o["noise"] = s.noise;
  o["seed"] = s.seed;
  o["test_fraction"] = s.test_fraction;
  o["scale"] = s.scale;
  o["shift"] = s.shift;
  return o.dump();
}

}  // namespace normlab
