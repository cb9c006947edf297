// The layer registry (core/layers/registry.cpp) is the one table the parser, the validator, the JSON writer
// and Sequential read: every LayerKind has its row, and every type round-trips through JSON with its
// defaults spelled out. Errors carry their field as data (Status::field).
#include <gtest/gtest.h>

#include "inspect.h"
#include "layers/registry.h"
#include "model.h"
#include "spec.h"

using namespace normlab;

TEST(Registry, EveryKindHasItsRow) {
  for (int k = 0; k <= static_cast<int>(LayerKind::Residual); ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    const LayerType& t = layer_type(kind);
    EXPECT_EQ(t.kind, kind) << k;
    ASSERT_NE(find_layer_type(t.name), nullptr);
    EXPECT_EQ(find_layer_type(t.name)->kind, kind);
    EXPECT_STREQ(layer_kind_name(kind), t.name);
    EXPECT_NE(t.make, nullptr);
  }
  EXPECT_EQ(find_layer_type("conv"), nullptr);
}

TEST(Registry, EveryTypeRoundTripsThroughJsonAndBuilds) {
  const char* text = R"({"input": 4, "layers": [{"type": "linear", "out": 8, "bias": false}, {"type": "batchnorm"},
    {"type": "relu"}, {"type": "layernorm"}, {"type": "rmsnorm"}, {"type": "groupnorm", "groups": 2}, {"type": "dropout"},
    {"type": "tanh"}, {"type": "sigmoid"}, {"type": "gelu"}, {"type": "leaky_relu"},
    {"type": "residual", "layers": [{"type": "linear", "out": 8}]}, {"type": "linear", "out": 3}]})";
  ModelSpec spec;
  ASSERT_TRUE(parse_model_spec(text, &spec).ok());
  EXPECT_EQ(spec.layers[1].eps, 1e-5);
  EXPECT_EQ(spec.layers[1].momentum, 0.1);
  EXPECT_EQ(spec.layers[4].eps, 1e-6);
  EXPECT_EQ(spec.layers[6].p, 0.5);
  EXPECT_EQ(spec.layers[10].slope, 0.01);
  const std::string json = model_spec_to_json(spec);
  ModelSpec again;
  ASSERT_TRUE(parse_model_spec(json, &again).ok()) << json;
  EXPECT_EQ(model_spec_to_json(again), json);
  EXPECT_NE(json.find(R"("bias":false)"), std::string::npos);
  EXPECT_EQ(json.find(R"("bias":true)"), std::string::npos);  // a flag at its default is not written
  std::unique_ptr<Model> m;
  ASSERT_TRUE(Model::create(spec, 0, &m).ok());
  EXPECT_EQ(m->classes(), 3);
}

TEST(StatusField, ErrorsCarryTheirField) {
  ModelSpec spec;
  Status s = parse_model_spec(R"({"input": 2, "layers": [{"type": "linear", "out": 64}, {"type": "groupnorm", "groups": 5}]})", &spec);
  EXPECT_EQ(s.field(), "layers[1].groups");
  EXPECT_EQ(s.message(), "layers[1].groups: 64 features cannot be split into 5 groups");
  DataSpec data;
  s = parse_data_spec(R"({"noise": -1})", &data);
  EXPECT_EQ(s.field(), "noise");
  EXPECT_EQ(s.message(), "noise: must be in [0, 10], got -1");
  InspectInput in;
  s = parse_inspect_input(R"({"norm": "layernorm", "shape": [2, 2], "x": [1, 2, "3", 4]})", &in);
  EXPECT_EQ(s.field(), "x[2]");
  EXPECT_EQ(Status::Error("diverged: the loss is NaN").field(), "");
  EXPECT_TRUE(Status::Ok().field().empty());
}
