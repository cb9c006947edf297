#include "inspect.h"

#include <cmath>

#include "jsonread.h"
#include "layers/moments.h"
#include "limits_table.h"
#include "util/rng.h"

namespace normlab {
namespace {

std::string shape_text(const std::vector<int>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

}  // namespace

Status inspect_norm(const InspectInput& in, InspectResult* out) {
  const auto& s = in.shape;
  if (s.size() != 2 && s.size() != 4) return Status::Error("shape", "must be (N, C) or (N, C, H, W), got " + cut(shape_text(s)));
  for (int d : s)
    if (d < 1 || d > kMaxInspectDim)
      return Status::Error("shape", "every dimension must be in [1, " + std::to_string(kMaxInspectDim) + "], got " + shape_text(s));
  const int N = s[0], C = s[1], HW = s.size() == 4 ? s[2] * s[3] : 1;
  const size_t count = static_cast<size_t>(N) * C * HW;
  if (count > kMaxInspectElements)
    return Status::Error("shape", "at most " + std::to_string(kMaxInspectElements) + " elements, got " + std::to_string(count));
  if (in.x.size() != count)
    return Status::Error("x", "shape " + shape_text(s) + " needs " + std::to_string(count) + " values, got " + std::to_string(in.x.size()));
  for (float v : in.x)
    if (!std::isfinite(v)) return Status::Error("x", "every value must be a finite number");
  if (!(in.eps >= 0 && std::isfinite(in.eps))) return Status::Error("eps", "must be a finite number ≥ 0");
  if (!in.gamma.empty() && in.gamma.size() != static_cast<size_t>(C)) return Status::Error("gamma", "needs " + std::to_string(C) + " values (one per channel)");
  if (!in.beta.empty() && in.beta.size() != static_cast<size_t>(C)) return Status::Error("beta", "needs " + std::to_string(C) + " values (one per channel)");

  // Which statistic each element (n, c, p) belongs to.
  int stats = 0;
  bool center = true;
  std::vector<int>& g = out->group_of;
  g.assign(count, 0);
  auto each = [&](auto id) {
    for (int n = 0; n < N; ++n)
      for (int c = 0; c < C; ++c)
        for (int p = 0; p < HW; ++p) g[(static_cast<size_t>(n) * C + c) * HW + p] = id(n, c);
  };
  if (in.norm == "batchnorm") {
    if (N * HW < 2)
      return Status::Error("batchnorm: expected more than 1 value per channel when training, got input size " + shape_text(s));
    stats = C;
    each([](int, int c) { return c; });
  } else if (in.norm == "layernorm" || in.norm == "rmsnorm") {
    stats = N;
    center = in.norm == "layernorm";
    each([](int n, int) { return n; });
  } else if (in.norm == "instancenorm") {
    if (HW < 2)
      return Status::Error("instancenorm: expected more than 1 spatial element when training, got input size " +
                           shape_text({N, C, HW}) + " (InstanceNorm needs the (N, C, H, W) shape)");
    stats = N * C;
    each([C](int n, int c) { return n * C + c; });
  } else if (in.norm == "groupnorm") {
    const int G = in.groups;
    if (G < 1 || C % G != 0)
      return Status::Error("groups", std::to_string(C) + " channels cannot be split into " + std::to_string(G) + " groups");
    stats = N * G;
    const int per = C / G;
    each([G, per](int n, int c) { return n * G + c / per; });
  } else {
    return Status::Error("norm", "unknown normalization '" + cut(in.norm) + "' (batchnorm, layernorm, instancenorm, groupnorm, rmsnorm)");
  }

  // Mean and Σ(x − mean)² per statistic, in double, by the helper BatchNorm's layer uses (layers/moments.h).
  // BatchNorm's statistic is a channel, over N (× H·W); every other one owns a contiguous run of values.
  const bool per_channel = in.norm == "batchnorm";
  const int outer = per_channel ? N : 1, len = per_channel ? HW : static_cast<int>(count / stats);
  std::vector<double> mean(stats), sq(stats);
  sum_moments(in.x.data(), outer, stats, len, center, mean.data(), sq.data());
  const double cnt = static_cast<double>(outer) * len;  // values per statistic
  out->stats = stats;
  out->mean.resize(stats), out->var.resize(stats), out->rstd.resize(stats), out->rstd_outside.resize(stats);
  std::vector<double> rstd(stats);
  for (int i = 0; i < stats; ++i) {
    const double var = sq[i] / cnt;
    rstd[i] = 1.0 / std::sqrt(var + in.eps);
    out->mean[i] = static_cast<float>(mean[i]);
    out->var[i] = static_cast<float>(var);
    out->rstd[i] = static_cast<float>(rstd[i]);
    out->rstd_outside[i] = static_cast<float>(1.0 / (std::sqrt(var) + in.eps));
  }
  out->xhat.resize(count), out->y.resize(count);
  for (size_t k = 0; k < count; ++k) {
    const int c = static_cast<int>((k / HW) % C);
    const double xhat = (in.x[k] - mean[g[k]]) * rstd[g[k]];
    const double gamma = in.gamma.empty() ? 1.0 : in.gamma[c];
    const double beta = in.beta.empty() || in.norm == "rmsnorm" ? 0.0 : in.beta[c];
    out->xhat[k] = static_cast<float>(xhat);
    out->y[k] = static_cast<float>(gamma * xhat + beta);
  }

  // Per-sample summaries of x and y (what `x.mean(dim=1)`, `x.var(dim=1)` print for a 2-D tensor).
  const size_t per = static_cast<size_t>(C) * HW;
  std::vector<double> row_mean(N), row_sq(N);
  auto rows = [&](const std::vector<float>& v, std::vector<float>* m, std::vector<float>* unbiased, std::vector<float>* biased) {
    m->resize(N), unbiased->resize(N);
    if (biased) biased->resize(N);
    sum_moments(v.data(), 1, N, static_cast<int>(per), true, row_mean.data(), row_sq.data());
    for (int n = 0; n < N; ++n) {
      (*m)[n] = static_cast<float>(row_mean[n]);
      (*unbiased)[n] = per > 1 ? static_cast<float>(row_sq[n] / (per - 1)) : NAN;
      if (biased) (*biased)[n] = static_cast<float>(row_sq[n] / per);
    }
  };
  rows(in.x, &out->row_mean_x, &out->row_var_x, nullptr);
  rows(out->y, &out->row_mean_y, &out->row_var_y, &out->row_var_y_biased);
  return Status::Ok();
}

Status inspect_norm(const std::string& json, InspectResult* out) {
  InspectInput in;
  Status s = parse_inspect_input(json, &in);
  return s.ok() ? inspect_norm(in, out) : s;
}

Status torch_randn(double seed, int n, std::vector<float>* out) {
  Status s = check_seed(seed);
  if (!s.ok()) return s;
  if (n < 1 || n > kMaxInspectElements) return Status::Error("n", "must be in [1, " + std::to_string(kMaxInspectElements) + "]");
  out->resize(n);
  TorchGenerator gen(static_cast<uint64_t>(seed));
  gen.randn(out->data(), n);
  return Status::Ok();
}

}  // namespace normlab
