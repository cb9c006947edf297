// Linear: y = x Wᵀ + b, W of shape (out, in) as nn.Linear stores it.
//
// The three products (forward y = x Wᵀ, backward dW = dyᵀ x and dx = dy W) are register-blocked over 4-lane
// vectors: each lane is one output element and sums its terms in the same order as the plain loop
//     y[n, o] = (Σ_i x[n, i] W[o, i]) + b[o],   i ascending,
// so the result is bit-identical to the scalar definition, natively and in WebAssembly. The forward pass
// reads a transposed copy Wt (in, out) so that consecutive outputs are consecutive in memory.
#include <cmath>
#include <cstring>

#include "layer.h"
#include "util/simd.h"

namespace normlab {
namespace {

// y (rows × out) = x (rows × in) · Wt (in × out) + b, in blocks of R rows × 4V outputs held in R·V vector
// registers (plus V for Wt and one for x: within the 16 that SSE and V8's WebAssembly SIMD have).
template <int R, int V>
void matmul_bias(const float* x, const float* wt, const float* bias, float* y, int rows, int in, int out) {
  constexpr int W = 4 * V;
  const int out_blocked = out - out % W, out4 = out - out % 4;
  int n = 0;
  for (; n + R <= rows; n += R) {
    const float* x0 = x + static_cast<size_t>(n) * in;
    float* y0 = y + static_cast<size_t>(n) * out;
    for (int o = 0; o < out_blocked; o += W) {
      f32x4 acc[R][V] = {};
      for (int i = 0; i < in; ++i) {
        const float* w = wt + static_cast<size_t>(i) * out + o;
        f32x4 wv[V];
        for (int j = 0; j < V; ++j) wv[j] = load4(w + 4 * j);
        for (int r = 0; r < R; ++r) {
          const f32x4 xv = splat4(x0[static_cast<size_t>(r) * in + i]);
          for (int j = 0; j < V; ++j) acc[r][j] += xv * wv[j];
        }
      }
      for (int r = 0; r < R; ++r)
        for (int j = 0; j < V; ++j) {
          f32x4 v = acc[r][j];
          if (bias) v += load4(bias + o + 4 * j);
          store4(y0 + static_cast<size_t>(r) * out + o + 4 * j, v);
        }
    }
  }
  // Remainders: rows not in a block of R, and outputs not in a block of W, one row at a time.
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + static_cast<size_t>(r) * in;
    float* yr = y + static_cast<size_t>(r) * out;
    int o = r < n ? out_blocked : 0;
    for (; o < out4; o += 4) {
      f32x4 acc = {};
      for (int i = 0; i < in; ++i) acc += splat4(xr[i]) * load4(wt + static_cast<size_t>(i) * out + o);
      if (bias) acc += load4(bias + o);
      store4(yr + o, acc);
    }
    for (; o < out; ++o) {
      float acc = 0.0f;
      for (int i = 0; i < in; ++i) acc += xr[i] * wt[static_cast<size_t>(i) * out + o];
      yr[o] = bias ? acc + bias[o] : acc;
    }
  }
}

#ifndef NORMLAB_MM_R
#define NORMLAB_MM_R 4
#define NORMLAB_MM_V 2
#endif
void matmul_bias(const float* x, const float* wt, const float* bias, float* y, int rows, int in, int out) {
  matmul_bias<NORMLAB_MM_R, NORMLAB_MM_V>(x, wt, bias, y, rows, in, out);
}

// y (rows × out) = x (rows × in) · Wᵀ + b for a narrow W (out × in): each dot product in four interleaved
// partial sums ((s0 + s1) + (s2 + s3), then the tail), the same order on every build.
void dot_rows(const float* x, const float* w, const float* bias, float* y, int rows, int in, int out) {
  const int in4 = in - in % 4;
  for (int n = 0; n < rows; ++n) {
    const float* xr = x + static_cast<size_t>(n) * in;
    for (int o = 0; o < out; ++o) {
      const float* wr = w + static_cast<size_t>(o) * in;
      f32x4 acc = {};
      for (int i = 0; i < in4; i += 4) acc += load4(xr + i) * load4(wr + i);
      float sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      for (int i = in4; i < in; ++i) sum += xr[i] * wr[i];
      y[static_cast<size_t>(n) * out + o] = bias ? sum + bias[o] : sum;
    }
  }
}

class Linear final : public Layer {
 public:
  Linear(const LayerSpec& spec, int in) : Layer(in, spec.out), has_bias_(spec.bias), wt_(static_cast<size_t>(in) * spec.out) {}
  LayerKind kind() const override { return LayerKind::Linear; }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Linear>(*this); }

  void declare(TensorTable& t, const std::string& prefix) override {
    weight_id_ = t.add(prefix + "weight", TensorRole::Parameter, {out_, in_});
    if (has_bias_) bias_id_ = t.add(prefix + "bias", TensorRole::Parameter, {out_});
  }
  void bind(TensorTable& t) override {
    weight_ = t.value(weight_id_);
    dweight_ = t.grad(weight_id_);
    if (has_bias_) bias_ = t.value(bias_id_), dbias_ = t.grad(bias_id_);
  }

  // nn.Linear.reset_parameters: kaiming_uniform_(W, a=sqrt(5)) is U(-b, b) with
  // b = sqrt(3) * gain / sqrt(fan_in), gain = sqrt(2 / (1 + a^2)), i.e. b ~ 1/sqrt(in); the bias is
  // U(-1/sqrt(in), 1/sqrt(in)). Bounds are computed in double as Python does, drawn in order.
  void reset_parameters(TorchGenerator& gen) override {
    const double a = std::sqrt(5.0);
    const double gain = std::sqrt(2.0 / (1.0 + a * a));
    const double bound = std::sqrt(3.0) * (gain / std::sqrt(static_cast<double>(in_)));
    const float wb = static_cast<float>(bound);
    for (int i = 0; i < out_ * in_; ++i) weight_[i] = gen.uniform_float(-wb, wb);
    if (has_bias_) {
      const float bb = static_cast<float>(1.0 / std::sqrt(static_cast<double>(in_)));
      for (int o = 0; o < out_; ++o) bias_[o] = gen.uniform_float(-bb, bb);
    }
  }

  Status forward(const float* x, float* y, int rows, const Context&) override {
    infer(x, y, rows, InferMode::Eval);
    return Status::Ok();
  }

  void infer(const float* x, float* y, int rows, InferMode) const override {
    if (out_ < 4) {  // a narrow layer (the class scores): dot products along the rows of W
      dot_rows(x, weight_, has_bias_ ? bias_ : nullptr, y, rows, in_, out_);
      return;
    }
    // Wt (in × out) from W (out × in): in·out copies against rows·in·out multiply-adds.
    for (int o = 0; o < out_; ++o)
      for (int i = 0; i < in_; ++i) wt_[static_cast<size_t>(i) * out_ + o] = weight_[static_cast<size_t>(o) * in_ + i];
    matmul_bias(x, wt_.data(), has_bias_ ? bias_ : nullptr, y, rows, in_, out_);
  }

  // (x Wᵀ + b)·scale + shift as one linear layer: W'[o] = W[o]·scale[o], b' = b·scale + shift.
  bool infer_then_affine(const float* x, float* y, int rows, const float* scale, const float* shift) const override {
    if (out_ < 4) return false;
    for (int o = 0; o < out_; ++o) {
      for (int i = 0; i < in_; ++i)
        wt_[static_cast<size_t>(i) * out_ + o] = weight_[static_cast<size_t>(o) * in_ + i] * scale[o];
      folded_bias_[o] = has_bias_ ? bias_[o] * scale[o] + shift[o] : shift[o];
    }
    matmul_bias(x, wt_.data(), folded_bias_.data(), y, rows, in_, out_);
    return true;
  }

  void backward(const float* x, const float*, const float* dy, float* dx, int rows) override {
    weight_grad(x, dy, rows);
    if (dx) input_grad(dy, dx, rows);
  }

 private:
  // dW[o, i] += Σ_n dy[n, o] x[n, i] (n ascending);  db[o] += Σ_n dy[n, o].
  // Gradients start at zero and every parameter is used once, so summing a block in registers from zero
  // and adding it at the end gives the bits of accumulating into dW directly.
  void weight_grad(const float* x, const float* dy, int rows) {
    const int in16 = in_ - in_ % 16, in4 = in_ - in_ % 4;
    int o = 0;
    for (; o + 4 <= out_; o += 4) {
      for (int i = 0; i < in16; i += 16) {
        f32x4 acc[4][4] = {};
        for (int n = 0; n < rows; ++n) {
          const float* xr = x + static_cast<size_t>(n) * in_ + i;
          const f32x4 x0 = load4(xr), x1 = load4(xr + 4), x2 = load4(xr + 8), x3 = load4(xr + 12);
          const float* g = dy + static_cast<size_t>(n) * out_ + o;
          for (int r = 0; r < 4; ++r) {
            const f32x4 gv = splat4(g[r]);
            acc[r][0] += gv * x0, acc[r][1] += gv * x1, acc[r][2] += gv * x2, acc[r][3] += gv * x3;
          }
        }
        for (int r = 0; r < 4; ++r)
          for (int j = 0; j < 4; ++j) {
            float* dw = dweight_ + static_cast<size_t>(o + r) * in_ + i + 4 * j;
            store4(dw, load4(dw) + acc[r][j]);
          }
      }
    }
    // A narrow input (the first layer: 2 features): lanes over outputs instead.
    if (in_ < 4) {
      for (int i = 0; i < in_; ++i)
        for (int oo = 0; oo + 4 <= out_; oo += 4) {
          f32x4 acc = {};
          for (int n = 0; n < rows; ++n)
            acc += load4(dy + static_cast<size_t>(n) * out_ + oo) * splat4(x[static_cast<size_t>(n) * in_ + i]);
          for (int l = 0; l < 4; ++l) dweight_[static_cast<size_t>(oo + l) * in_ + i] += acc[l];
        }
      o = out_ - out_ % 4;  // outputs left for the loop below
    }
    // Remainders: outputs not in a block of 4 (all inputs), then inputs not in a block of 16.
    for (int oo = 0; oo < out_; ++oo) {
      const int i_begin = oo < o ? (in_ < 4 ? in_ : in16) : 0;
      float* dw = dweight_ + static_cast<size_t>(oo) * in_;
      int i = i_begin;
      for (; i < in4; i += 4) {
        f32x4 acc = {};
        for (int n = 0; n < rows; ++n) acc += splat4(dy[static_cast<size_t>(n) * out_ + oo]) * load4(x + static_cast<size_t>(n) * in_ + i);
        store4(dw + i, load4(dw + i) + acc);
      }
      for (; i < in_; ++i) {
        float acc = 0.0f;
        for (int n = 0; n < rows; ++n) acc += dy[static_cast<size_t>(n) * out_ + oo] * x[static_cast<size_t>(n) * in_ + i];
        dw[i] += acc;
      }
    }
    if (!has_bias_) return;
    const int out4 = out_ - out_ % 4;
    for (int oo = 0; oo < out4; oo += 4) {
      f32x4 acc = {};
      for (int n = 0; n < rows; ++n) acc += load4(dy + static_cast<size_t>(n) * out_ + oo);
      store4(dbias_ + oo, load4(dbias_ + oo) + acc);
    }
    for (int oo = out4; oo < out_; ++oo) {
      float acc = 0.0f;
      for (int n = 0; n < rows; ++n) acc += dy[static_cast<size_t>(n) * out_ + oo];
      dbias_[oo] += acc;
    }
  }

  // dx[n, i] = Σ_o dy[n, o] W[o, i] (o ascending): the forward kernel with W in place of Wt.
  void input_grad(const float* dy, float* dx, int rows) { matmul_bias(dy, weight_, nullptr, dx, rows, out_, in_); }

  bool has_bias_;
  int weight_id_ = -1, bias_id_ = -1;
  float *weight_ = nullptr, *dweight_ = nullptr, *bias_ = nullptr, *dbias_ = nullptr;
  mutable std::vector<float> wt_;  // (in × out): W transposed (and folded), refreshed at every forward
  mutable std::vector<float> folded_bias_ = std::vector<float>(out_);
};

}  // namespace

std::unique_ptr<Layer> make_linear(const LayerSpec& spec, int in) { return std::make_unique<Linear>(spec, in); }

}  // namespace normlab
