#include "weights.h"

#include <cmath>

#include "jsonread.h"

namespace normlab {
namespace {

void collect(const std::vector<LayerSpec>& layers, const std::string& prefix, std::vector<NamedLayer>* out) {
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string name = prefix + std::to_string(i);
    out->push_back({name, &layers[i]});
    if (layers[i].kind == LayerKind::Residual) collect(layers[i].layers, name + ".", out);
  }
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::vector<NamedLayer> named_layers(const std::vector<LayerSpec>& layers) {
  std::vector<NamedLayer> out;
  collect(layers, "", &out);
  return out;
}

std::vector<std::string> linear_layer_names(const std::vector<LayerSpec>& layers) {
  std::vector<std::string> out;
  for (const NamedLayer& l : named_layers(layers))
    if (l.spec->kind == LayerKind::Linear) out.push_back(l.name);
  return out;
}

void multiply_linear(TensorTable& table, const std::string& name, float alpha) {
  for (const char* part : {".weight", ".bias"}) {
    const int id = table.find(name + part);
    if (id < 0) continue;  // a linear layer without bias
    float* v = table.value(id);
    for (size_t k = 0; k < table.entries()[id].size; ++k) v[k] = v[k] * alpha;
  }
}

Status scale_linear(TensorTable& table, const std::vector<LayerSpec>& layers, const std::string& name, double alpha) {
  const float a = static_cast<float>(alpha);
  if (!(std::isfinite(a) && a != 0))
    return Status::Error("alpha", "must be a finite number other than 0 (as a float32), got " + fmt(alpha));
  const std::vector<std::string> linear = linear_layer_names(layers);
  const LayerSpec* spec = nullptr;
  for (const NamedLayer& l : named_layers(layers))
    if (l.name == name) spec = l.spec;
  if (!spec || spec->kind != LayerKind::Linear)
    return Status::Error("layer", (spec ? "layer " + name + " is a " + layer_kind_name(spec->kind) + " layer, not a linear one"
                                        : "this model has no layer " + show(json(name))) +
                                      " (its linear layers: " + joined(linear) + ")");
  for (const char* part : {".weight", ".bias"}) {
    const int id = table.find(name + part);
    if (id < 0) continue;
    const float* v = table.value(id);
    for (size_t k = 0; k < table.entries()[id].size; ++k)
      if (!std::isfinite(v[k] * a))
        return Status::Error("alpha", "scaling " + name + part + " by " + fmt(alpha) + " overflows float32 (" + name + part + "[" +
                                          std::to_string(k) + "] would be infinite); nothing was changed");
  }
  multiply_linear(table, name, a);
  return Status::Ok();
}

std::vector<WeightNorm> weight_norms(const TensorTable& table, const std::vector<LayerSpec>& layers, double lr) {
  std::vector<WeightNorm> out;
  for (const std::string& layer : linear_layer_names(layers)) {
    const int id = table.find(layer + ".weight");
    const float* w = table.value(id);
    double ss = 0;
    for (size_t k = 0; k < table.entries()[id].size; ++k) ss += static_cast<double>(w[k]) * w[k];
    out.push_back({layer + ".weight", std::sqrt(ss), lr / ss});
  }
  return out;
}

}  // namespace normlab
