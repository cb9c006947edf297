// Reading JSON into specs: the helpers every parser in the core shares (spec.cpp, the inspector's input).
// Each error names the field it is about (Status::field) and never echoes more than kEchoChars of a value.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "limits_table.h"
#include "util/status.h"

namespace normlab {

using json = nlohmann::json;

inline constexpr size_t kEchoChars = 80;  // at most this much of a bad value is repeated in a message

// A value as JSON text, cut to kEchoChars characters (marked "… (cut)").
std::string show(const json& v);
// Any text echoed in a message (a key), cut the same way.
std::string cut(const std::string& text);
// "name: must be in [lo, hi], got v" (open ends as parentheses), or Ok.
Status range_error(const std::string& name, double v, double lo, bool lo_open, double hi, bool hi_open);
// Parses `text` as a JSON object; the error is about `what` ("model", "optimizer", …) and gives the position.
Status parse_json(const std::string& text, const char* what, json* out);

// Reads the fields of one JSON object, remembering which were read so unknown ones can be reported.
class Fields {
 public:
  Fields(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const json* get(const char* key);
  bool has(const char* key) const { return obj_.find(key) != obj_.end(); }
  // A finite number; `required` fields report "missing" (with `why`, if given).
  Status number(const char* key, double* out, bool required, const char* why = nullptr);
  // A number with an integral value (64 and 64.0 both); range checks are the caller's.
  Status integer(const char* key, double* out, bool required, const char* why = nullptr);
  Status boolean(const char* key, bool* out);
  // An array of finite numbers; absent or null leaves *out empty (or reports "missing" if `required`).
  Status numbers(const char* key, std::vector<double>* out, bool required);
  Status range(const char* key, double v, double lo, bool lo_open, double hi, bool hi_open) const {
    return range_error(name(key), v, lo, lo_open, hi, hi_open);
  }
  // Reports the first field that was never read.
  Status finish(const std::string& what) const;

 private:
  const json& obj_;
  std::string path_;
  std::vector<std::string> used_;
};

#define NORMLAB_TRY(expr)    \
  do {                       \
    Status _s = (expr);      \
    if (!_s.ok()) return _s; \
  } while (0)

}  // namespace normlab
