#include "jsonread.h"

#include "limits_table.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace normlab {
namespace {

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

// The byte length of the UTF-8 character starting at s[i], or 0 if none is complete there (a parse error's
// token can end inside one).
size_t utf8_char(const std::string& s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return len;
}

}  // namespace

std::string cut(const std::string& text) {
  if (text.size() <= kEchoChars) return text;
  size_t end = kEchoChars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 character
  return text.substr(0, end) + "… (cut)";
}

std::string show(const json& v) { return cut(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

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

// How deep arrays and objects nest in `text`, counted without building anything (strings skipped), so that a
// hostile document ("[[[[…") is refused before a recursive walk could overflow the stack.
static int nesting_depth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = ++depth > deepest ? depth : deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Status parse_json(const std::string& text, const char* what, json* out) {
  const int depth = nesting_depth(text);
  if (depth > kMaxJsonDepth)
    return Status::Error(what, "nested " + std::to_string(depth) + " levels deep, more than the limit of " +
                                   std::to_string(kMaxJsonDepth));
  *out = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!out->is_discarded()) {
    if (!out->is_object()) return Status::Error(what, "expected a JSON object, got " + show(*out));
    return Status::Ok();
  }
  ErrorLocator locator;
  json::sax_parse(text, &locator, json::input_format_t::json, /*strict=*/true);
  // At most 20 bytes of the token, whole characters only: the message stays valid UTF-8.
  const std::string& token = locator.token;
  size_t end = 0;
  for (size_t len; end < token.size() && (len = utf8_char(token, end)) != 0 && end + len <= 20;) end += len;
  std::string near = token.substr(0, end) + (end < token.size() ? "..." : "");
  return Status::Error(what, "malformed JSON at character " + std::to_string(locator.position) +
                       (near.empty() ? std::string() : " near '" + near + "'"));
}

const json* Fields::get(const char* key) {
  used_.push_back(key);
  auto it = obj_.find(key);
  return it == obj_.end() ? nullptr : &*it;
}

Status Fields::number(const char* key, double* out, bool required, const char* why) {
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

Status Fields::integer(const char* key, double* out, bool required, const char* why) {
  double d = *out;
  Status s = number(key, &d, required, why);
  if (!s.ok()) return s;
  if (d != std::floor(d)) return Status::Error(name(key), "must be an integer, got " + show(*get(key)));
  *out = d;
  return Status::Ok();
}

Status Fields::boolean(const char* key, bool* out) {
  const json* v = get(key);
  if (!v || v->is_null()) return Status::Ok();
  if (!v->is_boolean()) return Status::Error(name(key), "must be true or false, got " + show(*v));
  *out = v->get<bool>();
  return Status::Ok();
}

Status Fields::numbers(const char* key, std::vector<double>* out, bool required) {
  out->clear();
  const json* v = get(key);
  if (!v || v->is_null()) return required ? Status::Error(name(key), "missing") : Status::Ok();
  if (!v->is_array()) return Status::Error(name(key), "must be an array of numbers, got " + show(*v));
  out->reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const json& e = (*v)[i];
    if (!e.is_number() || !std::isfinite(e.get<double>()))
      return Status::Error(name(key) + "[" + std::to_string(i) + "]", "must be a finite number, got " + show(e));
    out->push_back(e.get<double>());
  }
  return Status::Ok();
}

Status Fields::finish(const std::string& what) const {
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool known = false;
    for (const auto& u : used_) known = known || u == it.key();
    if (!known) return Status::Error(name(cut(it.key()).c_str()), "unknown field for " + what);  // a key is echoed cut too
  }
  return Status::Ok();
}

}  // namespace normlab
