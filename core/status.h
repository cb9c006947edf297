// Status: how the core reports a failure without exceptions (the wasm build has none). An empty message
// means success; every message names the field or the input that is wrong.
#pragma once
#include <string>
#include <utility>

namespace normlab {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) {
    Status s;
    s.message_ = std::move(message);
    if (s.message_.empty()) s.message_ = "error";
    return s;
  }
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace normlab
