// The Lab's side of "why normalization helps": one run's linear weights scaled, their norms, and the loss
// landscape on its last batch (core/weights.h, core/landscape.h do the work).
#include "lab.h"

namespace normlab {

Status Lab::scale_weights(int index, const std::string& layer, double alpha) {
  Status s = check_index(index);
  if (!s.ok()) return s;
  Run& r = runs_[index];
  return scale_linear(r.model->tensors(), r.model_spec.layers, layer, alpha);
}

Status Lab::weight_norms(int index, std::vector<WeightNorm>* out) const {
  Status s = check_index(index);
  if (!s.ok()) return s;
  const Run& r = runs_[index];
  *out = normlab::weight_norms(r.model->tensors(), r.model_spec.layers, r.optimizer->spec().lr);
  return Status::Ok();
}

Status Lab::smoothness(int index, const SmoothnessOptions& options, Smoothness* out) const {
  Status s = check_index(index);
  if (!s.ok()) return s;
  const Run& r = runs_[index];
  // A stopped run's layers may hold a batch it never finished (and masks of an older one).
  if (r.stopped) return Status::Error("run", "run " + std::to_string(index + 1) + " has stopped (" + r.error + ")");
  if (r.rows == 0) return Status::Error("smoothness: no training batch yet (take a step first)");
  // bx_ and by_ still hold the last batch, the one every running run just trained on.
  return measure_smoothness(*r.model, bx_.data(), by_.data(), r.rows, r.optimizer->spec().lr, options, out);
}

}  // namespace normlab
