// How values cross between JS and the core, for the binding files (bindings.cpp: the binding table, Model,
// Optimizer and Lab; analysis.cpp: why normalization helps). Everything crosses as a copy. A failing Status
// becomes a JS Error whose `field` is the input it names ("" when none). Throwing unwinds without C++
// destructors, so when NL_TRY throws (from a JS function that makes no Embind handle) nothing may own memory
// or a JS handle: every JS argument has been read by a function that took it by value (releasing it), what was
// read lives in the scratch below (the module is single-threaded), and the Status itself is gone.
#pragma once
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "lab.h"

namespace glue {

using emscripten::val;
using namespace normlab;

inline std::string g_message, g_field;  // the error being thrown; below, the scratch for what is read and returned
inline std::string g_text, g_text2;     // taken (std::exchange) by the call that reads them, so they keep no memory
inline std::vector<float> g_x, g_out;
inline std::vector<double> g_y;
// `if (failed(expr)) raise();` keeps the error, destroys the Status (the condition's temporary), then throws.
inline bool failed(const Status& s) { return s.ok() ? false : (g_message = s.message(), g_field = s.field(), true); }
void raise();  // throws g_message as a JS Error with g_field (bindings.cpp)
#define NL_TRY(status_expr) \
  if (failed(status_expr)) raise()
inline Status first_error(const Status& a, const Status& b) { return a.ok() ? b : a; }
inline std::string taken(std::string* s) { return std::exchange(*s, std::string()); }
// In: a string (JSON for the core's parsers, a name), an array of numbers (its length checked against
// kMaxValues before anything is allocated), an integer (1.5 or 2^32 + 1 are errors, never 1).
inline Status text_in(val v, const char* field, std::string* out, const char* expected = "a JSON string") {
  if (v.isString()) *out = v.as<std::string>();
  return v.isString() ? Status::Ok() : Status::Error(field, std::string("expected ") + expected);
}
inline Status name_in(val v) { return text_in(std::move(v), "name", &g_text, "a parameter name like \"0.bias\""); }
template <typename T>
Status numbers_in(val v, const char* field, std::vector<T>* out) {
  if (v.isNull() || v.isUndefined() || !v["length"].isNumber())
    return Status::Error(field, "expected an array of numbers");
  const double n = v["length"].as<double>();
  if (!(n >= 0 && n <= kMaxValues && n == std::floor(n)))
    return Status::Error(field, fmt(n) + " values is more than the limit of " + std::to_string(kMaxValues));
  out->resize(static_cast<size_t>(n));
  val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", v);
  return Status::Ok();
}
inline int int_in(double v, const char* name) {
  NL_TRY(check_int(v, name));  // a statement of its own: the Status is gone before the throw
  return int(v);
}
// Out: typed-array copies, and objects built field by field: object("loss", 0.5, "x", floats, ...).
template <typename T>
val typed(const char* type, const T* p, size_t n) {
  return val::global(type).new_(emscripten::typed_memory_view(n, p));
}
template <typename T>
val js(const T& v) {
  return val(v);
}
inline val js(const std::vector<float>& v) { return typed("Float32Array", v.data(), v.size()); }
inline val js(const std::vector<int>& v) { return typed("Int32Array", v.data(), v.size()); }
inline val js(const std::vector<double>& v) { return val::array(v); }
inline void set_fields(val&) {}
template <typename T, typename... Rest>
void set_fields(val& o, const char* key, const T& v, const Rest&... rest) {
  o.set(key, js(v)), set_fields(o, rest...);
}
template <typename... Fields>
val object(const Fields&... fields) {
  val o = val::object();
  return set_fields(o, fields...), o;
}
inline InferMode infer_mode(bool train_batch) { return train_batch ? InferMode::TrainBatch : InferMode::Eval; }

// Why normalization helps (analysis.cpp): Lab.scaleWeights, Lab.weightNorms, Lab.smoothness.
void scale_weights(Lab& lab, double index, val layer, double alpha);
val weight_norms(Lab& lab, double index);
val smoothness(Lab& lab, double index, val options);

}  // namespace glue
