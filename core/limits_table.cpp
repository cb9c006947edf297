#include "limits_table.h"

#include <cmath>

#include "jsonread.h"

namespace normlab {

std::string limits_json() {
  json o = json::object();
  for (const Limit& l : kLimits) o[l.field] = {{"min", l.min}, {"max", l.max}, {"integer", l.integer}, {"what", l.what}};
  return o.dump();
}

Status check_seed(double seed, const char* field) {
  if (seed >= 0 && seed <= kMaxSeed && seed == std::floor(seed)) return Status::Ok();
  return Status::Error(field, "must be an integer in [0, " + fmt(kMaxSeed) + "]");
}

Status check_int(double v, const char* field) {
  if (v == std::floor(v) && std::fabs(v) < 2147483648.0) return Status::Ok();
  return Status::Error(field, "must be an integer below 2^31, got " + fmt(v));
}

}  // namespace normlab
