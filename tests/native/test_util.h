// Shared helpers for the native tests.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
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

// A golden trace of tests/golden/traces, parsed (a failed expectation if it does not parse).
inline nlohmann::json load_trace(const std::string& name) {
  std::ifstream in(std::string(NORMLAB_SOURCE_DIR) + "/tests/golden/traces/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << name;
  return j;
}

}  // namespace normlab::testing
