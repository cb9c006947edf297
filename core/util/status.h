// Status: how the core reports a failure without exceptions (the wasm build has none). An empty message
// means success. An error in one input carries that input's path as data — `field()` is "layers[2].groups",
// "lr", "points" — and its message starts with it: "layers[2].groups: 64 features cannot be split into 5
// groups". The JS API hands both to the page (Error.field, Error.message), which routes by the field alone.
#pragma once
#include <string>
#include <utility>

namespace normlab {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  // An error in the input at `field` (a path into the JSON, or an argument's name); `detail` says what is wrong.
  static Status Error(std::string field, const std::string& detail) {
    Status s;
    s.message_ = field.empty() ? detail : field + ": " + detail;
    s.field_ = std::move(field);
    if (s.message_.empty()) s.message_ = "error";
    return s;
  }
  // An error no single input is to blame for: a diverged step, PyTorch's own runtime errors.
  static Status Error(std::string message) { return Error(std::string(), message); }
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

 private:
  std::string message_, field_;
};

}  // namespace normlab
