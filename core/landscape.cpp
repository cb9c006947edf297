#include "landscape.h"

#include <cmath>
#include <limits>

#include "jsonread.h"

namespace normlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// max and min that keep a NaN (a loss that is not a number makes the band one too).
double max_of(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::max(a, b); }
double min_of(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::min(a, b); }

// ‖a − b‖ (b null: ‖a‖), the differences and the sum in double.
double distance(const std::vector<float>& a, const float* b) {
  double ss = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - (b ? b[i] : 0.0f);
    ss += d * d;
  }
  return std::sqrt(ss);
}

}  // namespace

Status parse_smoothness_options(const std::string& text, SmoothnessOptions* out) {
  json root;
  NORMLAB_TRY(parse_json(text, "options", &root));
  Fields f(root, "");
  for (const char* key : {"steps", "from", "to", "lr"})  // JS's NaN and ±Infinity arrive as null: not a default
    if (f.has(key) && root[key].is_null()) return Status::Error(key, "must be a finite number, got null (NaN or Infinity in JS)");
  SmoothnessOptions o;
  double steps = o.steps;
  NORMLAB_TRY(f.integer("steps", &steps, false));
  NORMLAB_TRY(f.range("steps", steps, 1, false, kMaxSmoothnessSteps, false));
  o.steps = static_cast<int>(steps);
  NORMLAB_TRY(f.number("from", &o.from, false));
  NORMLAB_TRY(f.range("from", o.from, 0, true, INFINITY, true));
  NORMLAB_TRY(f.number("to", &o.to, false));
  if (!(o.to >= o.from)) return Status::Error("to", "must be at least from (" + fmt(o.from) + "), got " + fmt(o.to));
  if (f.has("lr")) {
    NORMLAB_TRY(f.number("lr", &o.lr, false));
    NORMLAB_TRY(f.range("lr", o.lr, 0, true, INFINITY, true));
  }
  NORMLAB_TRY(f.finish("the smoothness options"));
  *out = o;
  return Status::Ok();
}

Status measure_smoothness(const Model& model, const float* x, const int* y, int rows, double lr,
                          const SmoothnessOptions& options, Smoothness* out) {
  const SmoothnessOptions& o = options;
  std::unique_ptr<Model> copy = model.clone();
  Model& m = *copy;
  m.set_training(true);
  m.reuse_dropout_masks(true);
  Smoothness r;
  r.lr = o.lr > 0 ? o.lr : lr;
  NORMLAB_TRY(m.compute_gradients(x, y, rows, &r.loss));
  std::vector<float>& params = m.tensors().params();
  const std::vector<float> theta = params, g = m.tensors().grads();
  r.grad_norm = distance(g, nullptr);
  r.loss_min = INFINITY, r.loss_max = -INFINITY, r.grad_diff_max = 0, r.beta_smoothness = 0;
  for (int k = 0; k < o.steps; ++k) {
    const double eta = r.lr * (o.steps == 1 ? o.from : o.from + (o.to - o.from) * k / (o.steps - 1));
    const float e = static_cast<float>(eta);
    for (size_t i = 0; i < params.size(); ++i) params[i] = theta[i] - e * g[i];
    double loss = 0;
    NORMLAB_TRY(m.compute_gradients(x, y, rows, &loss));
    const double diff = distance(g, m.tensors().grads().data());
    r.eta.push_back(eta), r.losses.push_back(loss), r.grad_diffs.push_back(diff);
    r.loss_min = min_of(r.loss_min, loss), r.loss_max = max_of(r.loss_max, loss);
    r.grad_diff_max = max_of(r.grad_diff_max, diff);
    r.beta_smoothness = max_of(r.beta_smoothness, diff / (eta * r.grad_norm));
  }
  *out = std::move(r);
  return Status::Ok();
}

}  // namespace normlab
