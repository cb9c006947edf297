// TensorTable: every parameter and buffer of a model, in PyTorch's state_dict order and with its names,
// stored in three flat blocks (parameters, their gradients, buffers). An optimizer is one loop over the
// parameter block; a state_dict is a walk over the entries.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "util/status.h"

namespace normlab {

enum class TensorRole { Parameter, Buffer };

struct TensorEntry {
  std::string name;      // "0.weight", "1.running_mean", "3.1.bias", ...
  TensorRole role;
  std::vector<int> shape;
  size_t offset = 0;     // into params (Parameter) or buffers (Buffer)
  size_t size = 0;
};

class TensorTable {
 public:
  int add(std::string name, TensorRole role, std::vector<int> shape) {
    TensorEntry e{std::move(name), role, std::move(shape)};
    e.size = 1;
    for (int d : e.shape) e.size *= static_cast<size_t>(d);
    size_t& total = role == TensorRole::Parameter ? n_params_ : n_buffers_;
    e.offset = total;
    total += e.size;
    entries_.push_back(std::move(e));
    return static_cast<int>(entries_.size()) - 1;
  }
  // Called once, after every layer has declared its tensors; the blocks never move afterwards.
  void allocate() {
    params_.assign(n_params_, 0.0f);
    grads_.assign(n_params_, 0.0f);
    buffers_.assign(n_buffers_, 0.0f);
  }
  float* value(int id) {
    const TensorEntry& e = entries_[id];
    return (e.role == TensorRole::Parameter ? params_.data() : buffers_.data()) + e.offset;
  }
  const float* value(int id) const {
    const TensorEntry& e = entries_[id];
    return (e.role == TensorRole::Parameter ? params_.data() : buffers_.data()) + e.offset;
  }
  float* grad(int id) {
    const TensorEntry& e = entries_[id];
    return e.role == TensorRole::Parameter ? grads_.data() + e.offset : nullptr;
  }
  int find(const std::string& name) const {
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].name == name) return static_cast<int>(i);
    return -1;
  }
  // The tensor called `name`, or an error naming it.
  Status lookup(const std::string& name, int* id) const {
    *id = find(name);
    return *id < 0 ? Status::Error(name, "no such parameter or buffer") : Status::Ok();
  }
  // Overwrites tensor `name` with n values (e.g. from a model file): the name must exist, n match its size
  // and every value be finite; otherwise nothing changes and the error names the problem.
  Status assign(const std::string& name, const float* values, size_t n) {
    int id = -1;
    Status s = lookup(name, &id);
    if (!s.ok()) return s;
    const TensorEntry& e = entries_[id];
    if (n != e.size) return Status::Error(name, "expected " + std::to_string(e.size) + " values, got " + std::to_string(n));
    for (size_t k = 0; k < n; ++k)
      if (!std::isfinite(values[k])) return Status::Error(name + "[" + std::to_string(k) + "]", "not a finite number");
    float* dst = value(id);
    for (size_t k = 0; k < n; ++k) dst[k] = values[k];
    return Status::Ok();
  }
  const std::vector<TensorEntry>& entries() const { return entries_; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.name);
    return out;
  }
  std::vector<float>& params() { return params_; }
  std::vector<float>& grads() { return grads_; }
  const std::vector<float>& grads() const { return grads_; }
  std::vector<float>& buffers() { return buffers_; }

 private:
  std::vector<TensorEntry> entries_;
  size_t n_params_ = 0, n_buffers_ = 0;
  std::vector<float> params_, grads_, buffers_;
};

}  // namespace normlab
