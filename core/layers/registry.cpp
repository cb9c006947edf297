#include "layers/registry.h"

#include <cmath>

#include "layers/layer.h"

namespace normlab {
namespace {

constexpr double kInf = INFINITY;

constexpr LayerParam eps(double fallback) {
  LayerParam p{"eps", LayerParam::Real};
  p.real = &LayerSpec::eps, p.fallback = fallback, p.lo = 0, p.hi = kInf, p.lo_open = true, p.hi_open = true;
  return p;
}
constexpr LayerParam real(const char* key, double LayerSpec::*member, double fallback, double lo, double hi, bool hi_open,
                          const char* null_message = nullptr) {
  LayerParam p{key, LayerParam::Real};
  p.real = member, p.fallback = fallback, p.lo = lo, p.hi = hi, p.hi_open = hi_open, p.null_message = null_message;
  return p;
}
constexpr LayerParam count(const char* key, int LayerSpec::*member, const char* required, const char* count_of) {
  LayerParam p{key, LayerParam::Count};
  p.count = member, p.required = required, p.count_of = count_of;
  return p;
}
constexpr LayerParam flag(const char* key, bool LayerSpec::*member, bool fallback) {
  LayerParam p{key, LayerParam::Flag};
  p.flag = member, p.fallback = fallback;
  return p;
}
constexpr LayerParam nested() { return LayerParam{"layers", LayerParam::Layers}; }

// PyTorch's defaults: nn.Linear(bias=True), nn.BatchNorm1d(eps=1e-5, momentum=0.1), nn.LayerNorm(eps=1e-5),
// nn.RMSNorm(eps=1e-6 here; PyTorch's None means finfo.eps), nn.GroupNorm(eps=1e-5), nn.Dropout(p=0.5),
// nn.LeakyReLU(negative_slope=0.01).
const LayerType kLayerTypes[] = {
    {LayerKind::Linear, "linear",
     {count("out", &LayerSpec::out, "the number of output features", "features"), flag("bias", &LayerSpec::bias, true)}, 2,
     make_linear},
    {LayerKind::BatchNorm, "batchnorm",
     {eps(1e-5), real("momentum", &LayerSpec::momentum, 0.1, 0, 1, false,
                      "null (PyTorch's cumulative average) is not supported; give a number in [0, 1]")}, 2,
     make_batchnorm},
    {LayerKind::LayerNorm, "layernorm", {eps(1e-5)}, 1, make_layernorm},
    {LayerKind::RMSNorm, "rmsnorm", {eps(1e-6)}, 1, make_rmsnorm},
    {LayerKind::GroupNorm, "groupnorm",
     {count("groups", &LayerSpec::groups, "the number of groups the features are split into", "groups"), eps(1e-5)}, 2,
     make_groupnorm},
    {LayerKind::Dropout, "dropout", {real("p", &LayerSpec::p, 0.5, 0, 1, true)}, 1, make_dropout},
    {LayerKind::ReLU, "relu", {}, 0, make_activation},
    {LayerKind::Tanh, "tanh", {}, 0, make_activation},
    {LayerKind::Sigmoid, "sigmoid", {}, 0, make_activation},
    {LayerKind::GELU, "gelu", {}, 0, make_activation},
    {LayerKind::LeakyReLU, "leaky_relu", {real("slope", &LayerSpec::slope, 0.01, 0, 0, false)}, 1, make_activation},
    {LayerKind::Residual, "residual", {nested()}, 1, make_residual},
};

}  // namespace

const LayerType& layer_type(LayerKind kind) {
  for (const auto& t : kLayerTypes)
    if (t.kind == kind) return t;
  return kLayerTypes[0];  // unreachable: every LayerKind has a row
}

const LayerType* find_layer_type(const std::string& name) {
  for (const auto& t : kLayerTypes)
    if (name == t.name) return &t;
  return nullptr;
}

std::string layer_type_list() {
  std::string s;
  for (const auto& t : kLayerTypes) s += (s.empty() ? "" : ", ") + std::string(t.name);
  return s;
}

const char* layer_kind_name(LayerKind kind) { return layer_type(kind).name; }

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, int in) { return layer_type(spec.kind).make(spec, in); }

}  // namespace normlab
