#include "sequential.h"

#include "layers/registry.h"

namespace normlab {

void Sequential::build(const std::vector<LayerSpec>& specs, int in) {
  in_ = in;
  int width = in;
  for (const auto& s : specs) {
    layers_.push_back(make_layer(s, width));
    width = layers_.back()->out_features();
  }
  outputs_.resize(layers_.size());
  dout_.resize(layers_.size());
  int widest = in;
  for (const auto& l : layers_) widest = l->out_features() > widest ? l->out_features() : widest;
  scratch_[0].assign(static_cast<size_t>(kInferChunk) * widest, 0.0f);
  scratch_[1].assign(static_cast<size_t>(kInferChunk) * widest, 0.0f);
}

const float* Sequential::infer(const float* x, int rows, InferMode mode) const {
  const float* in = x;
  int buffer = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    float* out = scratch_[buffer].data();
    buffer ^= 1;
    const float *scale, *shift;
    if (i + 1 < layers_.size() && layers_[i + 1]->per_feature_affine(mode, &scale, &shift) &&
        layers_[i]->infer_then_affine(in, out, rows, scale, shift)) {
      ++i;  // linear → batchnorm folded into one linear
    } else {
      layers_[i]->infer(in, out, rows, mode);
    }
    in = out;
  }
  return in;
}

void Sequential::layer_outputs(const float* x, int rows, InferMode mode, std::vector<LayerOutput>* out) const {
  out->assign(layers_.size(), LayerOutput());
  for (size_t i = 0; i < layers_.size(); ++i) {
    LayerOutput& o = (*out)[i];
    o.kind = layers_[i]->kind();
    o.features = layers_[i]->out_features();
    o.values.resize(static_cast<size_t>(rows) * o.features);
  }
  for (int r0 = 0; r0 < rows; r0 += kInferChunk) {  // chunks: a residual block infers through its scratch
    const int n = rows - r0 < kInferChunk ? rows - r0 : kInferChunk;
    const float* in = x + static_cast<size_t>(r0) * in_;
    for (size_t i = 0; i < layers_.size(); ++i) {
      LayerOutput& o = (*out)[i];
      float* y = o.values.data() + static_cast<size_t>(r0) * o.features;
      o.normalizes = layers_[i]->infer_stats(in, y, n, mode, &o.stats);
      in = y;
    }
  }
}

void Sequential::declare(TensorTable& t, const std::string& prefix) {
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->declare(t, prefix + std::to_string(i) + ".");
}

void Sequential::bind(TensorTable& t) {
  for (auto& l : layers_) l->bind(t);
}

void Sequential::reset_parameters(TorchGenerator& gen) {
  for (auto& l : layers_) l->reset_parameters(gen);
}

void Sequential::copy_from(const Sequential& other) {
  in_ = other.in_;
  for (const auto& l : other.layers_) layers_.push_back(l->clone());
  outputs_.resize(layers_.size());
  dout_.resize(layers_.size());
  scratch_[0] = other.scratch_[0], scratch_[1] = other.scratch_[1];
}

void Sequential::reserve(int rows) {
  if (rows <= rows_capacity_) return;
  rows_capacity_ = rows;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const size_t n = static_cast<size_t>(rows) * layers_[i]->out_features();
    outputs_[i].resize(n);
    if (i + 1 < layers_.size()) dout_[i].resize(n);
    layers_[i]->reserve(rows);
  }
}

Status Sequential::forward(const float* x, int rows, const Context& ctx) {
  reserve(rows);
  input_ = x;
  const float* in = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Status s = layers_[i]->forward(in, outputs_[i].data(), rows, ctx);
    if (!s.ok()) return s;
    in = outputs_[i].data();
  }
  return Status::Ok();
}

void Sequential::backward(const float* dy, float* dx, int rows) {
  for (size_t i = layers_.size(); i-- > 0;) {
    const float* x = i == 0 ? input_ : outputs_[i - 1].data();
    const float* g = i + 1 == layers_.size() ? dy : dout_[i].data();
    float* gx = i == 0 ? dx : dout_[i - 1].data();
    layers_[i]->backward(x, outputs_[i].data(), g, gx, rows);
  }
}

}  // namespace normlab
