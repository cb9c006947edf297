// Why normalization helps: Lab.scaleWeights, Lab.weightNorms and Lab.smoothness over the core's Lab (its
// lab_analysis.cpp), registered in bindings.cpp's table. The conversion and error rules are glue.h's.
#include "glue.h"

namespace glue {
namespace {
std::vector<WeightNorm> g_norms;  // scratch for what is returned
SmoothnessOptions g_options;
Smoothness g_smoothness;

// A linear layer arrives as a top-level index (a number) or a state_dict prefix ("3", "2.1"): into g_text.
Status layer_in(val v) {
  if (v.isNumber()) {
    const double d = v.as<double>();
    Status s = check_int(d, "layer");
    if (s.ok()) g_text = std::to_string(static_cast<int>(d));
    return s;
  }
  return text_in(std::move(v), "layer", &g_text, "a layer index or a state_dict prefix like \"2.1\"");
}

// Options arrive as JSON text (post.js writes an options object as JSON) or undefined for the defaults: into g_text.
Status options_in(val v) {
  if (v.isUndefined() || v.isNull()) g_text = "{}";
  else if (v.isString()) g_text = v.as<std::string>();
  else return Status::Error("options", "expected an object like {steps: 8, from: 0.05, to: 0.4}");
  return Status::Ok();
}
}  // namespace

void scale_weights(Lab& lab, double index, val layer, double alpha) {
  NL_TRY(layer_in(std::move(layer)));
  const int run = int_in(index, "run");  // before the name is taken: a throw must find no string alive
  NL_TRY(lab.scale_weights(run, taken(&g_text), alpha));
}

// [{name, norm, effectiveLr}], one per linear layer in order.
val weight_norms(Lab& lab, double index) {
  NL_TRY(lab.weight_norms(int_in(index, "run"), &g_norms));
  val list = val::array();
  for (const WeightNorm& w : g_norms) list.call<void>("push", object("name", w.name, "norm", w.norm, "effectiveLr", w.effective_lr));
  return g_norms.clear(), list;
}

// {lr, loss, gradNorm, eta, losses, gradDiffs, lossMin, lossMax, gradDiffMax, betaSmoothness} (core/landscape.h).
val smoothness(Lab& lab, double index, val options) {
  NL_TRY(options_in(std::move(options)));
  NL_TRY(parse_smoothness_options(taken(&g_text), &g_options));
  NL_TRY(lab.smoothness(int_in(index, "run"), g_options, &g_smoothness));
  const Smoothness& s = g_smoothness;
  return object("lr", s.lr, "loss", s.loss, "gradNorm", s.grad_norm, "eta", s.eta, "losses", s.losses, "gradDiffs",
                s.grad_diffs, "lossMin", s.loss_min, "lossMax", s.loss_max, "gradDiffMax", s.grad_diff_max,
                "betaSmoothness", s.beta_smoothness);
}

}  // namespace glue
