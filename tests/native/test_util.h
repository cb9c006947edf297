// Shared helpers for the native tests.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "model.h"
#include "spec.h"

namespace normlab::testing {

inline ModelSpec model_spec(const std::string& json) {
  ModelSpec spec;
  Status s = parse_model_spec(json, &spec);
  EXPECT_TRUE(s.ok()) << s.message() << " in " << json;
  return spec;
}

inline OptimizerSpec optimizer_spec(const std::string& json) {
  OptimizerSpec spec;
  Status s = parse_optimizer_spec(json, &spec);
  EXPECT_TRUE(s.ok()) << s.message() << " in " << json;
  return spec;
}

inline std::unique_ptr<Model> make_model(const std::string& json, uint64_t seed = 0) {
  std::unique_ptr<Model> m;
  Status s = Model::create(model_spec(json), seed, &m);
  EXPECT_TRUE(s.ok()) << s.message();
  return m;
}

}  // namespace normlab::testing
