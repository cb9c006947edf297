// Sequential: layers applied in order, each output kept in its own preallocated buffer (the lessons read
// them as activations). The model is one; a residual block holds another.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace normlab {

// One layer's own output for some rows (Model::layer_outputs) and, for a normalization layer, what normalized
// them.
struct LayerOutput {
  LayerKind kind = LayerKind::Linear;
  int features = 0;            // the output's width
  std::vector<float> values;   // (rows × features)
  bool normalizes = false;     // a normalization layer: `stats` is set
  InferStats stats;
};

class Sequential {
 public:
  // Builds the layers for an input width; the spec must already be validated.
  void build(const std::vector<LayerSpec>& specs, int in);
  void declare(TensorTable& t, const std::string& prefix);  // layer i is named prefix + "i."
  void bind(TensorTable& t);
  void reset_parameters(TorchGenerator& gen);
  void reserve(int rows);  // grows every buffer to `rows`; the only place that allocates
  // Makes this (an empty Sequential) a copy of `other`: every layer cloned with its caches (Layer::clone), the
  // copy to be bound to a table of its own. The activation buffers are not copied: its next forward fills them.
  void copy_from(const Sequential& other);

  Status forward(const float* x, int rows, const Context& ctx);
  // dy: gradient w.r.t. the output; dx: gradient w.r.t. the input (may be null).
  void backward(const float* dy, float* dx, int rows);

  // Side-effect-free pass over at most kInferChunk rows; returns the output (in scratch memory).
  const float* infer(const float* x, int rows, InferMode mode) const;
  // Every layer's own output for any number of rows, side-effect free: what infer computes, but without
  // folding a BatchNorm into the Linear before it, so each layer's output is its own function of the previous
  // one's. out[i] is layer i's; a residual block is one layer (its output x + f(x)).
  void layer_outputs(const float* x, int rows, InferMode mode, std::vector<LayerOutput>* out) const;

  const float* output() const { return outputs_.back().data(); }
  const float* output_of(size_t i) const { return outputs_[i].data(); }
  const float* input_of(size_t i) const { return i == 0 ? input_ : outputs_[i - 1].data(); }
  // ∂L/∂(output of layer i) from the last backward pass, for i < size() − 1 (the last one is the caller's dy).
  const float* grad_of(size_t i) const { return dout_[i].data(); }
  int in_features() const { return in_; }
  int out_features() const { return layers_.empty() ? in_ : layers_.back()->out_features(); }
  size_t size() const { return layers_.size(); }
  Layer& layer(size_t i) { return *layers_[i]; }
  const Layer& layer(size_t i) const { return *layers_[i]; }

 private:
  int in_ = 0, rows_capacity_ = 0;
  const float* input_ = nullptr;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::vector<float>> outputs_;  // outputs_[i]: (rows × out of layer i)
  std::vector<std::vector<float>> dout_;     // dout_[i]: gradient w.r.t. outputs_[i], for i < size-1
  mutable std::vector<float> scratch_[2];    // (kInferChunk × widest layer), ping-pong for infer
};

}  // namespace normlab
