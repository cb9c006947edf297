// libFuzzer target (NORMLAB_FUZZ=ON, clang, ASan + UBSan): the parsers that take untrusted JSON from the page
// and the JS API, and the builders behind them.
//
// The whole input goes to every parser: parse_model_spec, parse_optimizer_spec, parse_data_spec and
// parse_inspect_input (then inspect_norm). If the input is a JSON object with any of the members
//   {"model": …, "optimizer": …, "data": …, "inspect": …, "batch_size": 16, "seed": 0, "init": "shared"}
// each of model/optimizer/data/inspect is written back as text and goes to its own parser too, so that the
// fuzzer can reach valid specs of every kind at once. A model spec that parses is built (Model::create) and
// run on a few rows: forward in train and eval mode, a training step, gradients, diagnostics; with a data
// spec (or the default data) it also trains in a Lab for a few steps. Building is skipped when the spec is
// expensive (weights or activations over a small bound), so every input stays fast. Each JSON input is also
// parsed once more with one of its strings or arrays grown (amplified(), below).
//
// Every error must be a named one, or the target aborts (libFuzzer saves the input):
// - a failing Status has a non-empty message;
// - when its field() is non-empty, the message starts with field() + ": ";
// - the message, apart from that prefix, is at most kMaxDetail bytes (values are echoed at most
//   kEchoChars characters, see show() in core/jsonread.cpp), and each dot-separated part of the field
//   (a key or "layers[3]") is at most kMaxFieldPart bytes: no value or key is repeated whole;
// - if the input is valid UTF-8 (as every string from JS is), so is the message.
// And a spec that parses writes back (model_spec_to_json, …) as JSON that parses to the same spec.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "inspect.h"
#include "jsonread.h"
#include "lab.h"
#include "model.h"
#include "spec.h"

namespace normlab {
namespace {

constexpr size_t kMaxDetail = 320;     // a message after its "field: " prefix
constexpr size_t kMaxFieldPart = kEchoChars + 32;  // one part of a field path: an echoed key, cut, or layers[i]
constexpr size_t kMaxField = 1024;     // a whole field path (64 nested layers: "layers[0].layers[0]…")
constexpr long long kMaxWeights = 1 << 13;       // build a model only up to this many weights …
constexpr long long kMaxRowActivations = 1 << 12;  // … and activations per row
constexpr long long kMaxLabWeights = 1 << 12;  // a Lab (two runs, several batches) only up to this many weights
constexpr int kMaxLabPoints = 48;      // the Lab's data is cut to this many points

bool g_input_utf8 = true;
const char* g_stage = "";

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

[[noreturn]] void fail(const char* why, const Status& s, const char* where) {
  std::fprintf(stderr, "\n== unnamed error (%s) from %s [%s]\n   field (%zu bytes): %.300s\n   message (%zu bytes): %.600s\n", why,
               where, g_stage, s.field().size(), s.field().c_str(), s.message().size(), s.message().c_str());
  std::abort();
}

// Checks that a failing Status is a named error; returns s.ok().
bool named(const Status& s, const char* where) {
  if (s.ok()) return true;
  const std::string& m = s.message();
  const std::string& f = s.field();
  if (m.empty()) fail("empty message", s, where);
  size_t prefix = 0;
  if (!f.empty()) {
    if (m.size() < f.size() + 2 || m.compare(0, f.size(), f) != 0 || m.compare(f.size(), 2, ": ") != 0)
      fail("the message does not start with its field", s, where);
    prefix = f.size() + 2;
    if (f.size() > kMaxField) fail("field too long", s, where);
    size_t start = 0;
    while (start <= f.size()) {
      size_t dot = f.find('.', start);
      if (dot == std::string::npos) dot = f.size();
      if (dot - start > kMaxFieldPart) fail("a part of the field is too long (a key repeated whole?)", s, where);
      start = dot + 1;
    }
  }
  if (m.size() - prefix > kMaxDetail) fail("message too long (a value repeated whole?)", s, where);
  if (g_input_utf8 && !valid_utf8(m)) fail("the message is not valid UTF-8", s, where);
  return false;
}

void require(bool ok, const char* what, const std::string& detail) {
  if (ok) return;
  std::fprintf(stderr, "\n== %s [%s]\n   %.1000s\n", what, g_stage, detail.c_str());
  std::abort();
}

// What building and running a model would cost: its weights (linear in·out, two per normalized feature).
void cost(const std::vector<LayerSpec>& layers, int* width, long long* weights) {
  for (const LayerSpec& l : layers) {
    if (l.kind == LayerKind::Linear) {
      *weights += static_cast<long long>(*width) * l.out + l.out;
      *width = l.out;
    } else if (l.kind == LayerKind::Residual) {
      int inner = *width;
      cost(l.layers, &inner, weights);
    } else {
      *weights += 2LL * *width;
    }
  }
}

bool cheap(const ModelSpec& spec, long long max_weights = kMaxWeights) {
  int width = spec.input;
  long long weights = 0;
  cost(spec.layers, &width, &weights);
  return weights <= max_weights && spec.activations <= kMaxRowActivations;
}

// Deterministic inputs for a model: finite values, and (if `hostile`) a row with NaN, ±inf and huge values.
std::vector<float> rows_for(int input, int rows, uint32_t h, bool hostile) {
  std::vector<float> x(static_cast<size_t>(input) * rows);
  for (size_t i = 0; i < x.size(); ++i) {
    h = h * 1664525u + 1013904223u;
    x[i] = static_cast<float>(static_cast<int>(h >> 8) % 2001 - 1000) / 250.0f;
  }
  if (hostile && rows > 1) {
    const float odd[] = {__builtin_nanf(""), __builtin_inff(), -__builtin_inff(), 3e38f, -0.0f};
    for (int k = 0; k < input; ++k) x[static_cast<size_t>(rows - 1) * input + k] = odd[(h + k) % 5];
  }
  return x;
}

void exercise_model(const std::string& model_json, const ModelSpec& spec, const OptimizerSpec& opt_spec, uint32_t h) {
  if (!cheap(spec)) return;
  g_stage = "model";
  std::unique_ptr<Model> m;
  if (!named(Model::create(model_json, h % 3, &m), "Model::create")) require(false, "a parsed spec does not build", model_json);
  Optimizer opt(opt_spec, m->tensors().params().size());
  const int in = m->input(), classes = m->classes();
  const bool hostile = h & 1;
  for (int rows : {1, 2, 4}) {
    std::vector<float> x = rows_for(in, rows, h + rows, hostile && rows == 4);
    std::vector<double> y(rows);
    for (int n = 0; n < rows; ++n) y[n] = (n + h) % classes;
    std::vector<float> out;
    m->set_training(true);
    if (named(m->forward(x.data(), x.size(), &out), "Model::forward (train)"))
      require(out.size() == static_cast<size_t>(rows) * classes, "forward: wrong output size", model_json);
    double loss = 0;
    named(m->train_step(x.data(), x.size(), y.data(), y.size(), opt, &loss), "Model::train_step");
    named(m->compute_gradients(x.data(), x.size(), y.data(), y.size(), &loss), "Model::compute_gradients");
    Diagnostics d = m->diagnostics(rows);
    for (size_t i = 0; i < m->net().size(); ++i) {
      BatchNormTrace t;
      named(m->batchnorm_trace(static_cast<int>(i), 0, rows, &t), "Model::batchnorm_trace");
    }
    m->set_training(false);
    if (named(m->forward(x.data(), x.size(), &out), "Model::forward (eval)"))
      require(out.size() == static_cast<size_t>(rows) * classes, "forward: wrong output size", model_json);
    named(m->predict_proba(x.data(), x.size(), InferMode::TrainBatch, &out), "Model::predict_proba");
    std::vector<int> labels(rows);
    for (int n = 0; n < rows; ++n) labels[n] = static_cast<int>(y[n]);
    int correct = 0;
    m->evaluate(x.data(), labels.data(), rows, InferMode::Eval, &loss, &correct);
    y[0] = classes + 0.5;  // a label that is neither an integer nor a class
    named(m->compute_gradients(x.data(), x.size(), y.data(), y.size(), &loss), "Model::compute_gradients (bad label)");
  }
  std::vector<float> out;
  std::vector<float> x(static_cast<size_t>(in) + 1);
  if (in > 1)
    require(!named(m->forward(x.data(), x.size(), &out), "Model::forward (partial row)"), "a partial row was accepted", model_json);
}

void exercise_lab(const ModelSpec& model, const OptimizerSpec& opt, DataSpec data, const json& doc, uint32_t h) {
  if (!cheap(model, kMaxLabWeights)) return;
  g_stage = "lab";
  if (data.points > kMaxLabPoints) {
    data.points = kMaxLabPoints;
    if (data.kind == DatasetKind::Points) data.x.resize(2 * kMaxLabPoints), data.y.resize(kMaxLabPoints);  // the first rows
  }
  Lab lab;
  if (!named(lab.set_data(data), "Lab::set_data")) return;
  const auto batch = doc.find("batch_size");
  if (batch != doc.end() && batch->is_number()) {
    const double b = batch->get<double>();
    if (named(check_int(b, "batch_size"), "check_int")) named(lab.set_batch_size(static_cast<int>(b)), "Lab::set_batch_size");
  } else {
    named(lab.set_batch_size(1 + h % 32), "Lab::set_batch_size");
  }
  const auto init = doc.find("init");
  if (init != doc.end() && init->is_string()) named(lab.set_init_mode(init->get<std::string>()), "Lab::set_init_mode");
  int a = -1, b = -1;
  if (!named(lab.add_run(model, opt, &a), "Lab::add_run")) return;
  named(lab.add_run(model, opt, &b), "Lab::add_run (second)");
  const auto seed = doc.find("seed");
  if (seed != doc.end() && seed->is_number()) {
    const double s = seed->get<double>();
    if (named(check_seed(s), "check_seed")) named(lab.reset(static_cast<uint32_t>(s)), "Lab::reset");
  }
  lab.step(2);
  for (int i = 0; i < lab.run_count(); ++i) {
    const Run& r = lab.run(i);
    require(!r.stopped || !r.error.empty(), "a run stopped without a message", std::to_string(i));
    double loss = 0, accuracy = 0;
    named(lab.evaluate_run(i, false, InferMode::Eval, &loss, &accuracy), "Lab::evaluate_run");
    named(lab.evaluate_run(i, true, InferMode::TrainBatch, &loss, &accuracy), "Lab::evaluate_run");
    std::vector<float> out;
    named(lab.grid(i, 5, 4, -2, 2, -1.5, 1.5, InferMode::Eval, &out), "Lab::grid");
    named(lab.grid(i, 1, 4, -2, 2, -1.5, 1.5, InferMode::Eval, &out), "Lab::grid (too small)");
    named(lab.logits(i, lab.train().x.data(), lab.train().x.size(), &out), "Lab::logits");
    for (int layer = 0; layer < static_cast<int>(lab.run(i).model->net().size()); ++layer) {
      BatchNormTrace t;
      named(lab.batchnorm_trace(i, layer, 0, &t), "Lab::batchnorm_trace");
    }
    Diagnostics d = lab.diagnostics(i);
  }
  named(lab.replace_run(a, model, opt), "Lab::replace_run");
  named(lab.remove_run(7), "Lab::remove_run (no such run)");
  if (b >= 0) named(lab.remove_run(b), "Lab::remove_run");
  lab.step(1);
}

// Amplification: libFuzzer grows a string or an array only slowly (a longer one adds no coverage), so a
// value echoed whole in a message would go unnoticed while it is short. Each JSON input is therefore parsed
// again with one of its strings (a key or a value) 300 characters longer, or one of its arrays 100 elements
// longer (copies of its first), chosen by the input's hash; the messages must still be named and short.
void collect(json& v, int depth, std::vector<json*>* values, std::vector<std::pair<json*, std::string>>* keys) {
  if (depth > kMaxJsonDepth) return;
  if (v.is_string() || (v.is_array() && !v.empty())) values->push_back(&v);
  if (v.is_object())
    for (auto it = v.begin(); it != v.end(); ++it) {
      keys->emplace_back(&v, it.key());
      collect(it.value(), depth + 1, values, keys);
    }
  if (v.is_array())
    for (auto& e : v) collect(e, depth + 1, values, keys);
}

void amplified(const json& doc, uint32_t h) {
  json copy = doc;
  std::vector<json*> values;
  std::vector<std::pair<json*, std::string>> keys;
  collect(copy, 0, &values, &keys);
  const size_t n = values.size() + keys.size();
  if (n == 0) return;
  const size_t k = (h >> 4) % n;
  if (k < values.size()) {
    json& v = *values[k];
    if (v.is_string()) v = v.get<std::string>() + std::string(300, static_cast<char>('a' + h % 26));
    else for (int i = 0; i < 100; ++i) v.push_back(v.front());
  } else {
    auto& [obj, key] = keys[k - values.size()];
    json value = (*obj)[key];
    obj->erase(key);
    (*obj)[key + std::string(300, static_cast<char>('a' + h % 26))] = std::move(value);
  }
  g_stage = "amplified";
  auto each = [&](const json& part, const char* where) {
    const std::string text = part.dump(-1, ' ', false, json::error_handler_t::replace);
    ModelSpec m;
    OptimizerSpec o;
    DataSpec d;
    InspectResult r;
    named(parse_model_spec(text, &m), where);
    named(parse_optimizer_spec(text, &o), where);
    named(parse_data_spec(text, &d), where);
    named(inspect_norm(text, &r), where);
  };
  each(copy, "every parser (amplified)");
  if (!copy.is_object()) return;
  for (const char* key : {"model", "optimizer", "data", "inspect"}) {
    const auto it = copy.find(key);
    if (it != copy.end()) each(*it, "every parser (amplified member)");
  }
}

// Parses `text` with every parser; if it is a combined document, each member with its own parser too.
void run(const std::string& text) {
  uint32_t h = 2166136261u;  // FNV-1a of the input: the seed of every derived choice
  for (unsigned char c : text) h = (h ^ c) * 16777619u;

  g_stage = "whole input";
  ModelSpec model;
  OptimizerSpec opt;  // Adam(lr=1e-3), PyTorch's defaults
  DataSpec data;      // the lesson's moons
  const bool model_ok = named(parse_model_spec(text, &model), "parse_model_spec");
  const bool opt_ok = named(parse_optimizer_spec(text, &opt), "parse_optimizer_spec");
  const bool data_ok = named(parse_data_spec(text, &data), "parse_data_spec");
  InspectInput in;
  named(parse_inspect_input(text, &in), "parse_inspect_input");
  InspectResult result;
  named(inspect_norm(text, &result), "inspect_norm");

  // A spec that parses writes back as JSON that parses to the same spec.
  if (model_ok) {
    const std::string again = model_spec_to_json(model);
    ModelSpec back;
    require(parse_model_spec(again, &back).ok() && model_spec_to_json(back) == again, "model spec does not round-trip", again);
  }
  if (opt_ok) {
    const std::string again = optimizer_spec_to_json(opt);
    OptimizerSpec back;
    require(parse_optimizer_spec(again, &back).ok() && optimizer_spec_to_json(back) == again, "optimizer spec does not round-trip", again);
  }
  if (data_ok) {
    const std::string again = data_spec_to_json(data);
    DataSpec back;
    require(parse_data_spec(again, &back).ok() && data_spec_to_json(back) == again, "data spec does not round-trip", again);
  }
  if (model_ok) exercise_model(text, model, opt_ok ? opt : OptimizerSpec(), h);

  // The combined document, read as the core reads one (parse_json checks the nesting depth before building;
  // copying and writing a document recurse).
  json doc;
  if (!named(parse_json(text, "fuzz", &doc), "parse_json")) return;
  amplified(doc, h);
  auto member = [&](const char* key, std::string* out) {
    const auto it = doc.find(key);
    if (it == doc.end()) return false;
    *out = it->dump(-1, ' ', false, json::error_handler_t::replace);
    return true;
  };
  std::string part;
  g_stage = "members";
  bool has_model = false, has_opt = false, has_data = false;
  ModelSpec m2;
  OptimizerSpec o2;
  DataSpec d2;
  std::string model_text;
  if (member("model", &model_text)) has_model = named(parse_model_spec(model_text, &m2), "parse_model_spec (member)");
  if (member("optimizer", &part)) has_opt = named(parse_optimizer_spec(part, &o2), "parse_optimizer_spec (member)");
  if (member("data", &part)) has_data = named(parse_data_spec(part, &d2), "parse_data_spec (member)");
  if (member("inspect", &part)) named(inspect_norm(part, &result), "inspect_norm (member)");
  if (!has_model) return;
  exercise_model(model_text, m2, has_opt ? o2 : OptimizerSpec(), h);
  exercise_lab(m2, has_opt ? o2 : OptimizerSpec(), has_data ? d2 : DataSpec(), doc, h);
}

}  // namespace
}  // namespace normlab

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  normlab::g_input_utf8 = normlab::valid_utf8(text);
  normlab::run(text);
  return 0;
}
