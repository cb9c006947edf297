#include "spec.h"

#include <cmath>

#include "inspect.h"
#include "jsonread.h"
#include "layers/registry.h"

namespace normlab {
namespace {

// A count of features or groups: a positive integer no larger than kMaxWidth.
Status count_error(const std::string& name, double v, const char* what) {
  if (!(v > 0)) return Status::Error(name, "must be a positive integer, got " + fmt(v));
  if (v > kMaxWidth)
    return Status::Error(name, fmt(v) + " " + what + " is " + (std::string(what) == "features" ? "wider" : "more") +
                         " than the limit of " + std::to_string(kMaxWidth));
  return Status::Ok();
}

Status parse_layers(const json& arr, const std::string& path, std::vector<LayerSpec>* out, int* entries);

// Reads one layer's fields (types and integrality); value ranges are checked by validate_model_spec.
Status parse_layer(const json& obj, const std::string& path, LayerSpec* layer, int* entries) {
  if (!obj.is_object()) return Status::Error(path, "expected an object like {\"type\": \"relu\"}, got " + show(obj));
  Fields f(obj, path);
  const json* type = f.get("type");
  if (!type) return Status::Error(f.name("type"), "missing (one of " + layer_type_list() + ")");
  if (!type->is_string()) return Status::Error(f.name("type"), "must be a string, got " + show(*type));
  const std::string t = type->get<std::string>();
  const LayerType* lt = find_layer_type(t);
  if (!lt) return Status::Error(f.name("type"), "unknown layer type " + show(t) + " (expected one of " + layer_type_list() + ")");
  layer->kind = lt->kind;
  for (int i = 0; i < lt->param_count; ++i) {
    const LayerParam& p = lt->params[i];
    switch (p.kind) {
      case LayerParam::Real:
        layer->*p.real = p.fallback;
        if (p.null_message && f.has(p.key) && obj[p.key].is_null()) return Status::Error(f.name(p.key), p.null_message);
        NORMLAB_TRY(f.number(p.key, &(layer->*p.real), false));
        break;
      case LayerParam::Count: {
        double v = 0;
        NORMLAB_TRY(f.integer(p.key, &v, true, p.required));
        NORMLAB_TRY(count_error(f.name(p.key), v, p.count_of));
        layer->*p.count = static_cast<int>(v);
        break;
      }
      case LayerParam::Flag:
        layer->*p.flag = p.fallback != 0;
        NORMLAB_TRY(f.boolean(p.key, &(layer->*p.flag)));
        break;
      case LayerParam::Layers: {
        const json* inner = f.get(p.key);
        if (!inner) return Status::Error(f.name(p.key), "missing (the block's inner layers)");
        NORMLAB_TRY(parse_layers(*inner, f.name(p.key), &layer->layers, entries));
        break;
      }
    }
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
  long long activations = 0;  // the output widths of every layer, nested ones included
};

// Follows the width through the layers, checking what depends on it. Returns the output width in *width.
Status walk(std::vector<LayerSpec>& layers, const std::string& path, int* width, WalkCounts* counts) {
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerSpec& l = layers[i];
    const std::string here = path + "[" + std::to_string(i) + "]";
    counts->entries++;
    if (counts->entries > kMaxLayerEntries) return Status::Ok();  // reported by the caller
    const LayerType& lt = layer_type(l.kind);
    for (int k = 0; k < lt.param_count; ++k) {
      const LayerParam& p = lt.params[k];
      const std::string name = here + "." + p.key;
      if (p.kind == LayerParam::Count) NORMLAB_TRY(count_error(name, l.*p.count, p.count_of));
      if (p.kind != LayerParam::Real) continue;
      const double v = l.*p.real;
      if (p.lo == p.hi && !std::isfinite(v)) return Status::Error(name, "must be finite, got " + fmt(v));
      if (p.lo != p.hi) NORMLAB_TRY(range_error(name, v, p.lo, p.lo_open, p.hi, p.hi_open));
    }
    // What a layer does to the width.
    if (l.kind == LayerKind::Linear) {
      counts->linear++;
      *width = l.out;
    } else if (l.kind == LayerKind::GroupNorm && *width % l.groups != 0) {
      return Status::Error(here + ".groups", std::to_string(*width) + " features cannot be split into " +
                           std::to_string(l.groups) + " groups");
    } else if (l.kind == LayerKind::Residual) {
      if (l.layers.empty()) return Status::Error(here + ".layers", "must contain at least one layer");
      int inner = *width;
      NORMLAB_TRY(walk(l.layers, here + ".layers", &inner, counts));
      if (inner != *width)
        return Status::Error(here, "a residual block must keep the width (x + f(x)), but it maps " +
                             std::to_string(*width) + " features to " + std::to_string(inner));
    }
    counts->activations += *width;
  }
  return Status::Ok();
}

}  // namespace

Status validate_model_spec(ModelSpec* spec) {
  if (spec->input < 1 || spec->input > kMaxWidth)
    return Status::Error("input", "must be an integer in [1, " + std::to_string(kMaxWidth) + "], got " + std::to_string(spec->input));
  NORMLAB_TRY(range_error("init_scale", spec->init_scale, kMinInitScale, false, kMaxInitScale, false));
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
  spec->activations = counts.activations;
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
  NORMLAB_TRY(f.number("init_scale", &spec.init_scale, false));
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
  else return Status::Error("type", "unknown optimizer " + show(t) + " (expected one of sgd, adam, adamw)");

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

Status parse_inspect_input(const std::string& text, InspectInput* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "inspect", &root));
  Fields f(root, "");
  InspectInput in;
  const json* norm = f.get("norm");
  if (!norm) return Status::Error("norm", "missing (batchnorm, layernorm, instancenorm, groupnorm or rmsnorm)");
  if (!norm->is_string()) return Status::Error("norm", "must be a string, got " + show(*norm));
  in.norm = norm->get<std::string>();
  std::vector<double> v;
  NORMLAB_TRY(f.numbers("shape", &v, true));
  for (double d : v) {
    if (d != std::floor(d) || d < 0 || d > kMaxInspectElements) return Status::Error("shape", "every dimension must be a whole number");
    in.shape.push_back(static_cast<int>(d));
  }
  double groups = in.groups;
  NORMLAB_TRY(f.integer("groups", &groups, false));
  if (std::fabs(groups) > kMaxInspectElements) return Status::Error("groups", "must be a whole number no larger than " + fmt(kMaxInspectElements));
  in.groups = static_cast<int>(groups);
  NORMLAB_TRY(f.number("eps", &in.eps, false));
  NORMLAB_TRY(f.numbers("x", &v, true));
  in.x.assign(v.begin(), v.end());
  NORMLAB_TRY(f.numbers("gamma", &v, false));
  in.gamma.assign(v.begin(), v.end());
  NORMLAB_TRY(f.numbers("beta", &v, false));
  in.beta.assign(v.begin(), v.end());
  NORMLAB_TRY(f.finish("the inspector"));
  *out = std::move(in);
  return Status::Ok();
}

namespace {
json layers_to_json(const std::vector<LayerSpec>& layers) {
  json arr = json::array();
  for (const auto& l : layers) {
    const LayerType& lt = layer_type(l.kind);
    json o;
    o["type"] = lt.name;
    for (int k = 0; k < lt.param_count; ++k) {
      const LayerParam& p = lt.params[k];
      switch (p.kind) {
        case LayerParam::Real: o[p.key] = l.*p.real; break;
        case LayerParam::Count: o[p.key] = l.*p.count; break;
        case LayerParam::Flag: if (l.*p.flag != (p.fallback != 0)) o[p.key] = l.*p.flag; break;
        case LayerParam::Layers: o[p.key] = layers_to_json(l.layers); break;
      }
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
  if (spec.init_scale != 1) o["init_scale"] = spec.init_scale;
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

}  // namespace normlab
