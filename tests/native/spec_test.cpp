// The model / optimizer / data JSON: one test per kind of bad input, each asserting the exact message (the
// field with its path, then what is wrong), then PyTorch's defaults and the JSON round trips.
// Numbers are shown as written (the shortest form that reads back), code-built specs are validated as
// strictly as parsed ones, and deep nesting is rejected before it can overflow the stack. Crash-prone inputs
// run in a forked child (SpecDeathTest) so a crash fails that test alone, not the whole binary.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "test_util.h"

namespace normlab {
namespace {

const char* const kLayerTypes =
    "linear, batchnorm, layernorm, rmsnorm, groupnorm, dropout, relu, tanh, sigmoid, gelu, leaky_relu, "
    "residual";

// The message of a spec that must be rejected ("" and a failure if it was accepted).
std::string model_error(const std::string& json) {
  ModelSpec spec;
  const Status s = parse_model_spec(json, &spec);
  EXPECT_FALSE(s.ok()) << "accepted: " << json;
  return s.message();
}
std::string optimizer_error(const std::string& json) {
  OptimizerSpec spec;
  const Status s = parse_optimizer_spec(json, &spec);
  EXPECT_FALSE(s.ok()) << "accepted: " << json;
  return s.message();
}
std::string data_error(const std::string& json) {
  DataSpec spec;
  const Status s = parse_data_spec(json, &spec);
  EXPECT_FALSE(s.ok()) << "accepted: " << json;
  return s.message();
}
std::string validate_error(ModelSpec spec) {
  const Status s = validate_model_spec(&spec);
  EXPECT_FALSE(s.ok()) << "accepted: " << model_spec_to_json(spec);
  return s.message();
}

// {"input": 2, "layers": [<layers>]}
std::string model(const std::string& layers, int input = 2) {
  return "{\"input\": " + std::to_string(input) + ", \"layers\": [" + layers + "]}";
}
// n copies of `item`, comma separated.
std::string repeat(const std::string& item, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + item;
  return s;
}

LayerSpec layer(LayerKind kind) {
  LayerSpec l;
  l.kind = kind;
  return l;
}
LayerSpec linear(int out) {
  LayerSpec l = layer(LayerKind::Linear);
  l.out = out;
  return l;
}
// input -> linear(8) -> <middle> -> linear(2), built in code (no JSON).
ModelSpec code_built(const LayerSpec& middle) {
  ModelSpec spec;
  spec.input = 2;
  spec.layers = {linear(8), middle, linear(2)};
  return spec;
}

// Runs `fn` in a forked child, so that a crash (stack overflow, division by zero) fails this test only.
// The child exits 0 iff `fn` returned an error whose message contains `expected`.
template <typename Fn>
void expect_error_without_crash(Fn fn, const std::string& expected) {
  EXPECT_EXIT(
      {
        rlimit no_core;  // a crash in the child should not leave a core file behind
        no_core.rlim_cur = no_core.rlim_max = 0;
        setrlimit(RLIMIT_CORE, &no_core);
        const Status s = fn();
        std::fprintf(stderr, "status: %s\n", s.ok() ? "ok" : s.message().c_str());
        std::_Exit(!s.ok() && s.message().find(expected) != std::string::npos ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "")
      << "expected an error containing: " << expected;
}

// ---------------------------------------------------------------------------------------------- model JSON

TEST(SpecModel, MalformedJson) {
  const std::string m = model_error(R"({"input": 2,, "layers": []})");
  EXPECT_EQ(m.rfind("model: malformed JSON at character ", 0), 0u) << m;
  EXPECT_EQ(m, "model: malformed JSON at character 13 near '2,,'");
}

TEST(SpecModel, TruncatedJson) {
  EXPECT_EQ(model_error(R"({"input": 2, "layers": [)"),
            "model: malformed JSON at character 25 near '\"layers\": ['");
  EXPECT_EQ(model_error(""), "model: malformed JSON at character 1");
}

TEST(SpecModel, NotAnObject) {
  EXPECT_EQ(model_error("[1, 2]"), "model: expected a JSON object, got [1,2]");
  EXPECT_EQ(model_error(R"("linear")"), "model: expected a JSON object, got \"linear\"");
}

TEST(SpecModel, UnknownLayerType) {
  EXPECT_EQ(model_error(model(R"({"type": "conv", "out": 4})")),
            std::string("layers[0].type: unknown layer type \"conv\" (expected one of ") + kLayerTypes + ")");
}

TEST(SpecModel, MissingType) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 4}, {"out": 4})")),
            std::string("layers[1].type: missing (one of ") + kLayerTypes + ")");
}

TEST(SpecModel, TypeNotAString) {
  EXPECT_EQ(model_error(model(R"({"type": 3})")), "layers[0].type: must be a string, got 3");
}

TEST(SpecModel, LayerNotAnObject) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 4}, "relu")")),
            "layers[1]: expected an object like {\"type\": \"relu\"}, got \"relu\"");
}

TEST(SpecModel, MissingOut) {
  EXPECT_EQ(model_error(model(R"({"type": "linear"})")),
            "layers[0].out: missing (the number of output features)");
}

TEST(SpecModel, NonPositiveOut) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 0})")),
            "layers[0].out: must be a positive integer, got 0");
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 8}, {"type": "linear", "out": -3})")),
            "layers[1].out: must be a positive integer, got -3");
}

TEST(SpecModel, NonIntegerOut) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 3.5})")),
            "layers[0].out: must be an integer, got 3.5");
}

TEST(SpecModel, OutAsString) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": "64"})")),
            "layers[0].out: must be a number, got \"64\"");
}

TEST(SpecModel, OutWiderThanLimit) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 2000}, {"type": "linear", "out": 2})")),
            "layers[0].out: 2000 features is wider than the limit of 1024");
  ModelSpec ok;
  EXPECT_TRUE(
      parse_model_spec(model(R"({"type": "linear", "out": 1024}, {"type": "linear", "out": 2})"), &ok).ok());
}

// 1e20 is an integer, just far too wide: the message should say so, not "must be an integer".
TEST(SpecModel, HugeOutIsReportedAsTooWide) {
  const std::string m =
      model_error(model(R"({"type": "linear", "out": 1e20}, {"type": "linear", "out": 2})"));
  EXPECT_EQ(m.rfind("layers[0].out: ", 0), 0u) << m;
  EXPECT_NE(m.find("wider than the limit of 1024"), std::string::npos) << m;
}

TEST(SpecModel, MoreThan16LinearLayers) {
  const std::string json =
      model(repeat(R"({"type": "linear", "out": 4})", 16) + R"(, {"type": "linear", "out": 2})");
  EXPECT_EQ(model_error(json), "layers: 17 linear layers is more than the limit of 16");
  ModelSpec ok;
  EXPECT_TRUE(
      parse_model_spec(
          model(repeat(R"({"type": "linear", "out": 4})", 15) + R"(, {"type": "linear", "out": 2})"), &ok)
          .ok());
}

TEST(SpecModel, MoreThan64LayerEntries) {
  const std::string relu = R"({"type": "relu"})", first = R"({"type": "linear", "out": 4}, )",
                    last = R"(, {"type": "linear", "out": 2})";
  EXPECT_EQ(model_error(model(first + repeat(relu, 63) + last)),
            "layers: 65 layers is more than the limit of 64");
  ModelSpec ok;
  EXPECT_TRUE(parse_model_spec(model(first + repeat(relu, 62) + last), &ok).ok());
}

// The limit counts the entries inside residual blocks (and the blocks themselves) too.
TEST(SpecModel, MoreThan64LayerEntriesCountingResidualBlocks) {
  const std::string block = R"({"type": "residual", "layers": [)" + repeat(R"({"type": "relu"})", 10) + "]}";
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 4}, )" + repeat(block, 6) +
                              R"(, {"type": "linear", "out": 2})")),
            "layers: 68 layers is more than the limit of 64");
}

TEST(SpecModel, GroupsDoNotDivideWidth) {
  EXPECT_EQ(
      model_error(
          R"({"input":2,"layers":[{"type":"linear","out":64},{"type":"relu"},{"type":"groupnorm","groups":5},{"type":"linear","out":2}]})"),
      "layers[2].groups: 64 features cannot be split into 5 groups");
}

TEST(SpecModel, GroupsDoNotDivideInputWidth) {
  EXPECT_EQ(model_error(model(R"({"type": "groupnorm", "groups": 2}, {"type": "linear", "out": 2})", 3)),
            "layers[0].groups: 3 features cannot be split into 2 groups");
}

TEST(SpecModel, GroupsDoNotDivideWidthInsideResidual) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 8},
      {"type": "residual", "layers": [{"type": "linear", "out": 6}, {"type": "relu"}, {"type": "groupnorm", "groups": 4},
                                      {"type": "linear", "out": 8}]},
      {"type": "linear", "out": 2})")),
            "layers[1].layers[2].groups: 6 features cannot be split into 4 groups");
}

TEST(SpecModel, MissingGroups) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "relu"}, {"type": "groupnorm"}, {"type": "linear", "out": 2})")),
      "layers[2].groups: missing (the number of groups the features are split into)");
}

TEST(SpecModel, NonPositiveGroups) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "groupnorm", "groups": 0}, {"type": "linear", "out": 2})")),
      "layers[1].groups: must be a positive integer, got 0");
}

TEST(SpecModel, DropoutPOne) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "dropout", "p": 1}, {"type": "linear", "out": 2})")),
      "layers[1].p: must be in [0, 1), got 1");
}

// Expected to show -0.1 as written; spec.cpp's fmt() prints %.17g, i.e. -0.10000000000000001.
TEST(SpecModel, DropoutPNegative) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "dropout", "p": -0.1}, {"type": "linear", "out": 2})")),
      "layers[1].p: must be in [0, 1), got -0.1");
}

TEST(SpecModel, EpsNotPositive) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "layernorm", "eps": 0}, {"type": "linear", "out": 2})")),
      "layers[1].eps: must be in (0, inf), got 0");
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "rmsnorm", "eps": -1}, {"type": "linear", "out": 2})")),
      "layers[1].eps: must be in (0, inf), got -1");
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "batchnorm", "eps": 0}, {"type": "linear", "out": 2})")),
      "layers[1].eps: must be in (0, inf), got 0");
}

// Expected to show -1e-05 as written; %.17g gives -1.0000000000000001e-05.
TEST(SpecModel, EpsNegativeShownAsWritten) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "groupnorm", "groups": 2, "eps": -1e-5}, {"type": "linear", "out": 2})")),
      "layers[1].eps: must be in (0, inf), got -1e-05");
}

TEST(SpecModel, BatchNormMomentumAboveOne) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "batchnorm", "momentum": 1.5}, {"type": "linear", "out": 2})")),
      "layers[1].momentum: must be in [0, 1], got 1.5");
}

TEST(SpecModel, UnknownLayerField) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 64, "outt": 3}, {"type": "linear", "out": 2})")),
            "layers[0].outt: unknown field for linear layer");
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "relu", "bias": false}, {"type": "linear", "out": 2})")),
      "layers[1].bias: unknown field for relu layer");
}

TEST(SpecModel, UnknownLayerFieldInsideResidual) {
  EXPECT_EQ(model_error(model(
                R"({"type": "linear", "out": 8}, {"type": "residual", "layers": [{"type": "relu", "p": 0.5}]},
                                 {"type": "linear", "out": 2})")),
            "layers[1].layers[0].p: unknown field for relu layer");
}

TEST(SpecModel, UnknownTopLevelField) {
  EXPECT_EQ(model_error(R"({"input": 2, "layers": [{"type": "linear", "out": 2}], "output": 2})"),
            "output: unknown field for a model");
}

TEST(SpecModel, MissingLayers) {
  EXPECT_EQ(model_error(R"({"input": 2})"), "layers: missing");
  EXPECT_EQ(model_error(R"({"input": 2, "layers": []})"), "layers: must contain at least one layer");
  EXPECT_EQ(model_error(R"({"input": 2, "layers": 5})"), "layers: must be an array of layers, got 5");
}

TEST(SpecModel, ResidualChangesWidth) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "residual", "layers": [{"type": "linear", "out": 4}]},
                                 {"type": "linear", "out": 2})")),
      "layers[1]: a residual block must keep the width (x + f(x)), but it maps 8 features to 4");
}

TEST(SpecModel, NoLinearLayer) {
  EXPECT_EQ(model_error(model(R"({"type": "relu"})")),
            "layers: a model needs at least one linear layer (its last one gives the class scores)");
}

TEST(SpecModel, FewerThanTwoClasses) {
  EXPECT_EQ(
      model_error(model(R"({"type": "linear", "out": 8}, {"type": "relu"}, {"type": "linear", "out": 1})")),
      "layers: the last linear layer's out is the number of classes and must be at least 2, got 1");
}

TEST(SpecModel, InputOutOfRange) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 2})", 0)),
            "input: must be an integer in [1, 1024], got 0");
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 2})", 2000)),
            "input: must be an integer in [1, 1024], got 2000");
  EXPECT_EQ(model_error(R"({"layers": [{"type": "linear", "out": 2}]})"),
            "input: missing (the number of input features)");
  EXPECT_EQ(model_error(R"({"input": 2.5, "layers": [{"type": "linear", "out": 2}]})"),
            "input: must be an integer, got 2.5");
}

TEST(SpecModel, ResidualLayersNotAnArray) {
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "residual", "layers": {"type": "relu"}}, {"type": "linear", "out": 2})")),
      "layers[1].layers: must be an array of layers, got {\"type\":\"relu\"}");
}

TEST(SpecModel, NestedResidualLayersNotAnArray) {
  EXPECT_EQ(model_error(model(R"({"type": "linear", "out": 8},
      {"type": "residual", "layers": [{"type": "relu"}, {"type": "residual", "layers": "relu"}]}, {"type": "linear", "out": 2})")),
            "layers[1].layers[1].layers: must be an array of layers, got \"relu\"");
}

TEST(SpecModel, ResidualLayersMissingOrEmpty) {
  EXPECT_EQ(model_error(
                model(R"({"type": "linear", "out": 8}, {"type": "residual"}, {"type": "linear", "out": 2})")),
            "layers[1].layers: missing (the block's inner layers)");
  EXPECT_EQ(
      model_error(model(
          R"({"type": "linear", "out": 8}, {"type": "residual", "layers": []}, {"type": "linear", "out": 2})")),
      "layers[1].layers: must contain at least one layer");
}

// ----------------------------------------------------------------------------------------- optimizer JSON

TEST(SpecOptimizer, MalformedJson) {
  const std::string m = optimizer_error(R"({"type": "adam")");
  EXPECT_EQ(m.rfind("optimizer: malformed JSON at character ", 0), 0u) << m;
  EXPECT_EQ(optimizer_error("[]"), "optimizer: expected a JSON object, got []");
}

TEST(SpecOptimizer, MissingType) {
  EXPECT_EQ(optimizer_error(R"({"lr": 0.1})"), "type: missing (one of sgd, adam, adamw)");
}

TEST(SpecOptimizer, UnknownType) {
  EXPECT_EQ(optimizer_error(R"({"type": "rmsprop", "lr": 0.01})"),
            "type: unknown optimizer \"rmsprop\" (expected one of sgd, adam, adamw)");
}

TEST(SpecOptimizer, SgdWithoutLr) {
  EXPECT_EQ(optimizer_error(R"({"type": "sgd"})"), "lr: missing (sgd has no default learning rate)");
}

TEST(SpecOptimizer, LrZero) {
  EXPECT_EQ(optimizer_error(R"({"type": "sgd", "lr": 0})"), "lr: must be in (0, inf), got 0");
}

TEST(SpecOptimizer, LrNegative) {
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "lr": -0.5})"), "lr: must be in (0, inf), got -0.5");
}

TEST(SpecOptimizer, LrAsString) {
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "lr": "0.01"})"), "lr: must be a number, got \"0.01\"");
}

TEST(SpecOptimizer, NesterovWithoutMomentum) {
  EXPECT_EQ(optimizer_error(R"({"type": "sgd", "lr": 0.1, "nesterov": true})"),
            "nesterov: Nesterov momentum requires a momentum > 0 and zero dampening");
  EXPECT_EQ(
      optimizer_error(R"({"type": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.5, "nesterov": true})"),
      "nesterov: Nesterov momentum requires a momentum > 0 and zero dampening");
  EXPECT_EQ(optimizer_error(R"({"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": "yes"})"),
            "nesterov: must be true or false, got \"yes\"");
}

TEST(SpecOptimizer, BetasWrongLength) {
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "betas": [0.9]})"),
            "betas: must be an array of two numbers, got [0.9]");
  EXPECT_EQ(optimizer_error(R"({"type": "adamw", "betas": [0.5, 0.9, 0.99]})"),
            "betas: must be an array of two numbers, got [0.5,0.9,0.99]");
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "betas": 0.9})"),
            "betas: must be an array of two numbers, got 0.9");
}

TEST(SpecOptimizer, BetaNotBelowOne) {
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "betas": [0.5, 1]})"), "betas[1]: must be in [0, 1), got 1");
  EXPECT_EQ(optimizer_error(R"({"type": "adamw", "betas": [1.5, 0.999]})"),
            "betas[0]: must be in [0, 1), got 1.5");
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "betas": [-0.5, 0.999]})"),
            "betas[0]: must be in [0, 1), got -0.5");
}

TEST(SpecOptimizer, WeightDecayNegative) {
  EXPECT_EQ(optimizer_error(R"({"type": "adamw", "weight_decay": -0.5})"),
            "weight_decay: must be in [0, inf), got -0.5");
}

TEST(SpecOptimizer, UnknownField) {
  EXPECT_EQ(optimizer_error(R"({"type": "adam", "momentum": 0.9})"),
            "momentum: unknown field for adam optimizer");
  EXPECT_EQ(optimizer_error(R"({"type": "sgd", "lr": 0.1, "betas": [0.9, 0.999]})"),
            "betas: unknown field for sgd optimizer");
  EXPECT_EQ(optimizer_error(R"({"type": "adamw", "amsgrad": true})"),
            "amsgrad: unknown field for adamw optimizer");
}

// ---------------------------------------------------------------------------------------------- data JSON

TEST(SpecData, MalformedJson) {
  const std::string m = data_error(R"({"type": "moons",})");
  EXPECT_EQ(m.rfind("data: malformed JSON at character ", 0), 0u) << m;
  EXPECT_EQ(data_error("5"), "data: expected a JSON object, got 5");
}

TEST(SpecData, UnknownDatasetType) {
  EXPECT_EQ(data_error(R"({"type": "blobs"})"),
            "type: unknown dataset \"blobs\" (expected one of moons, circles, spiral, xor, gauss, points)");
}

TEST(SpecData, TooFewPoints) {
  EXPECT_EQ(data_error(R"({"type": "moons", "points": 3})"),
            "points: must be an integer in [4, 100000], got 3");
}

TEST(SpecData, TooManyPoints) {
  EXPECT_EQ(data_error(R"({"type": "circles", "points": 200000})"),
            "points: must be an integer in [4, 100000], got 200000");
  EXPECT_EQ(data_error(R"({"points": 20.5})"), "points: must be an integer, got 20.5");
}

TEST(SpecData, NoiseNegative) {
  EXPECT_EQ(data_error(R"({"type": "spiral", "noise": -0.5})"), "noise: must be in [0, 10], got -0.5");
}

TEST(SpecData, SeedNegative) {
  EXPECT_EQ(data_error(R"({"type": "xor", "seed": -1})"),
            "seed: must be an integer in [0, 4294967295], got -1");
  EXPECT_EQ(data_error(R"({"seed": 4294967296})"),
            "seed: must be an integer in [0, 4294967295], got 4294967296");
}

// Expected to show the limit and the value as written; %.17g gives [0, 0.90000000000000002], got
// 0.94999999999999996.
TEST(SpecData, TestFractionAboveLimit) {
  EXPECT_EQ(data_error(R"({"type": "gauss", "test_fraction": 0.95})"),
            "test_fraction: must be in [0, 0.9], got 0.95");
}

TEST(SpecData, UnknownField) {
  EXPECT_EQ(data_error(R"({"type": "moons", "n_samples": 100})"), "n_samples: unknown field for a dataset");
}

// ------------------------------------------------------------------------------------------------ defaults

TEST(SpecDefaults, LayersTakePyTorchDefaults) {
  const ModelSpec m =
      testing::model_spec(model(R"({"type": "linear", "out": 8}, {"type": "batchnorm"}, {"type": "layernorm"},
      {"type": "rmsnorm"}, {"type": "groupnorm", "groups": 4}, {"type": "dropout"}, {"type": "leaky_relu"},
      {"type": "linear", "out": 3})"));
  ASSERT_EQ(m.layers.size(), 8u);
  EXPECT_TRUE(m.layers[0].bias);     // nn.Linear(bias=True)
  EXPECT_EQ(m.layers[1].eps, 1e-5);  // nn.BatchNorm1d(eps=1e-5, momentum=0.1)
  EXPECT_EQ(m.layers[1].momentum, 0.1);
  EXPECT_EQ(m.layers[2].eps, 1e-5);  // nn.LayerNorm(eps=1e-5)
  EXPECT_EQ(m.layers[3].eps, 1e-6);  // nn.RMSNorm: eps=None means finfo(float32).eps; normlab uses 1e-6
  EXPECT_EQ(m.layers[4].eps, 1e-5);  // nn.GroupNorm(eps=1e-5)
  EXPECT_EQ(m.layers[4].groups, 4);
  EXPECT_EQ(m.layers[5].p, 0.5);       // nn.Dropout(p=0.5)
  EXPECT_EQ(m.layers[6].slope, 0.01);  // nn.LeakyReLU(negative_slope=0.01)
}

TEST(SpecDefaults, AdamTakesPyTorchDefaults) {
  const OptimizerSpec o = testing::optimizer_spec(R"({"type": "adam"})");
  EXPECT_EQ(o.kind, OptimizerKind::Adam);
  EXPECT_EQ(o.lr, 1e-3);
  EXPECT_EQ(o.beta1, 0.9);
  EXPECT_EQ(o.beta2, 0.999);
  EXPECT_EQ(o.eps, 1e-8);
  EXPECT_EQ(o.weight_decay, 0.0);
}

TEST(SpecDefaults, AdamWTakesPyTorchDefaults) {
  const OptimizerSpec o = testing::optimizer_spec(R"({"type": "adamw"})");
  EXPECT_EQ(o.kind, OptimizerKind::AdamW);
  EXPECT_EQ(o.lr, 1e-3);
  EXPECT_EQ(o.beta1, 0.9);
  EXPECT_EQ(o.beta2, 0.999);
  EXPECT_EQ(o.eps, 1e-8);
  EXPECT_EQ(o.weight_decay, 0.01);
  EXPECT_EQ(testing::optimizer_spec(R"({"type": "adamw", "weight_decay": 0})").weight_decay, 0.0);
}

TEST(SpecDefaults, SgdTakesPyTorchDefaults) {
  const OptimizerSpec o = testing::optimizer_spec(R"({"type": "sgd", "lr": 0.1})");
  EXPECT_EQ(o.kind, OptimizerKind::SGD);
  EXPECT_EQ(o.lr, 0.1);
  EXPECT_EQ(o.momentum, 0.0);
  EXPECT_EQ(o.dampening, 0.0);
  EXPECT_FALSE(o.nesterov);
  EXPECT_EQ(o.weight_decay, 0.0);
}

TEST(SpecDefaults, DataDefaults) {
  DataSpec d;
  ASSERT_TRUE(parse_data_spec("{}", &d).ok());
  EXPECT_EQ(d.kind, DatasetKind::Moons);
  EXPECT_EQ(d.points, 2000);
  EXPECT_EQ(d.noise, 0.2);
  EXPECT_EQ(d.seed, 0u);
  EXPECT_EQ(d.test_fraction, 0.0);
}

TEST(SpecDefaults, ClassesIsTheLastLinearOut) {
  EXPECT_EQ(testing::model_spec(model(R"({"type": "linear", "out": 5})")).classes, 5);
  EXPECT_EQ(testing::model_spec(
                model(R"({"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 3},
                                        {"type": "dropout"})"))
                .classes,
            3);
  // A residual block keeps the width, so a trailing block leaves the classes at the last top-level out.
  EXPECT_EQ(
      testing::model_spec(
          model(R"({"type": "linear", "out": 4}, {"type": "residual", "layers": [{"type": "linear", "out": 8},
                                        {"type": "relu"}, {"type": "linear", "out": 4}]})"))
          .classes,
      4);
  ModelSpec built = code_built(layer(LayerKind::ReLU));
  built.layers.back().out = 7;
  ASSERT_TRUE(validate_model_spec(&built).ok());
  EXPECT_EQ(built.classes, 7);
}

// ---------------------------------------------------------------------------------------------- round trips

TEST(SpecRoundTrip, Model) {
  const ModelSpec m = testing::model_spec(
      model(R"({"type": "linear", "out": 16, "bias": false}, {"type": "batchnorm", "eps": 0.001,
      "momentum": 0.05}, {"type": "gelu"}, {"type": "residual", "layers": [{"type": "layernorm", "eps": 1e-6}, {"type": "linear", "out": 32},
      {"type": "leaky_relu", "slope": 0.2}, {"type": "dropout", "p": 0.1}, {"type": "linear", "out": 16},
      {"type": "residual", "layers": [{"type": "rmsnorm"}, {"type": "tanh"}]}]}, {"type": "groupnorm", "groups": 4, "eps": 1e-3},
      {"type": "sigmoid"}, {"type": "relu"}, {"type": "linear", "out": 3})",
            5));
  const std::string once = model_spec_to_json(m);
  ModelSpec again;
  const Status s = parse_model_spec(once, &again);
  ASSERT_TRUE(s.ok()) << s.message() << " in " << once;
  EXPECT_EQ(model_spec_to_json(again), once);
  EXPECT_EQ(again.input, 5);
  EXPECT_EQ(again.classes, 3);
  ASSERT_EQ(again.layers.size(), 8u);
  EXPECT_FALSE(again.layers[0].bias);
  EXPECT_EQ(again.layers[1].momentum, 0.05);
  EXPECT_EQ(again.layers[3].layers[3].p, 0.1);
  EXPECT_EQ(again.layers[3].layers[2].slope, 0.2);
  EXPECT_EQ(again.layers[3].layers[5].layers[0].eps, 1e-6);
}

TEST(SpecRoundTrip, Optimizer) {
  for (const char* json :
       {R"({"type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 1e-4})",
        R"({"type": "sgd", "lr": 1, "momentum": 0.5, "dampening": 0.25})",
        R"({"type": "adam", "lr": 0.003, "betas": [0.8, 0.99], "eps": 1e-6})", R"({"type": "adamw"})",
        R"({"type": "adam"})"}) {
    SCOPED_TRACE(json);
    const std::string once = optimizer_spec_to_json(testing::optimizer_spec(json));
    const OptimizerSpec again = testing::optimizer_spec(once);
    EXPECT_EQ(optimizer_spec_to_json(again), once);
  }
}

TEST(SpecRoundTrip, Data) {
  for (const char* json :
       {R"({})", R"({"type": "circles", "points": 500, "noise": 0.05, "seed": 42, "test_fraction": 0.25})",
        R"({"type": "spiral", "points": 4, "noise": 0, "seed": 4294967295, "test_fraction": 0.9})",
        R"({"type": "xor"})", R"({"type": "gauss", "points": 100000, "noise": 10})"}) {
    SCOPED_TRACE(json);
    DataSpec d, again;
    ASSERT_TRUE(parse_data_spec(json, &d).ok());
    const std::string once = data_spec_to_json(d);
    const Status s = parse_data_spec(once, &again);
    ASSERT_TRUE(s.ok()) << s.message() << " in " << once;
    EXPECT_EQ(data_spec_to_json(again), once);
  }
}

// ------------------------------------------------------------ code-built specs (validate_model_spec alone)
// Model::create and Lab::add_run validate specs built in code with validate_model_spec alone, so it should
// reject what parse_model_spec rejects.

TEST(SpecValidate, CodeBuiltNonPositiveOut) {
  ModelSpec spec;
  spec.input = 2;
  spec.layers = {linear(0), linear(2)};
  EXPECT_EQ(validate_error(spec), "layers[0].out: must be a positive integer, got 0");
}

TEST(SpecValidate, CodeBuiltOutWiderThanLimit) {
  ModelSpec spec;
  spec.input = 2;
  spec.layers = {linear(5000), linear(2)};
  EXPECT_EQ(validate_error(spec), "layers[0].out: 5000 features is wider than the limit of 1024");
}

TEST(SpecValidate, CodeBuiltDropoutPOne) {
  LayerSpec d = layer(LayerKind::Dropout);
  d.p = 1.0;
  EXPECT_EQ(validate_error(code_built(d)), "layers[1].p: must be in [0, 1), got 1");
}

// A LayerSpec built in code starts with eps = 0 (its default is set by the parser, per kind).
TEST(SpecValidate, CodeBuiltNormWithZeroEps) {
  EXPECT_EQ(validate_error(code_built(layer(LayerKind::LayerNorm))),
            "layers[1].eps: must be in (0, inf), got 0");
}

TEST(SpecValidate, CodeBuiltEmptyResidual) {
  EXPECT_EQ(validate_error(code_built(layer(LayerKind::Residual))),
            "layers[1].layers: must contain at least one layer");
}

// groups = 0 reaches `width % groups` in walk(): a division by zero (SIGFPE) rather than an error.
TEST(SpecDeathTest, CodeBuiltZeroGroupsIsAnErrorNotACrash) {
  expect_error_without_crash(
      [] {
        ModelSpec spec = code_built(layer(LayerKind::GroupNorm));
        spec.layers[1].eps = 1e-5;
        return validate_model_spec(&spec);
      },
      "layers[1].groups: must be a positive integer, got 0");
}

// Each level holds one entry, so the per-array limit never triggers and parse_layer recurses once per level;
// the total is only counted after parsing. 50000 levels overflow an 8 MB native stack (the 64 KB wasm
// stack overflows at a few hundred). Expected: rejected by the 64-entry limit while parsing.
TEST(SpecDeathTest, DeeplyNestedResidualsAreRejectedNotOverflowed) {
  expect_error_without_crash(
      [] {
        const int depth = 50000;
        std::string json = R"({"input": 2, "layers": [{"type": "linear", "out": 2}, )";
        for (int i = 0; i < depth; ++i) json += R"({"type": "residual", "layers": [)";
        json += R"({"type": "relu"})";
        for (int i = 0; i < depth; ++i) json += "]}";
        json += "]}";
        ModelSpec spec;
        return parse_model_spec(json, &spec);
      },
      // refused before any recursive walk: by its nesting, counted without building the document
      "model: nested 100003 levels deep, more than the limit of 256");
}

TEST(SpecModel, ModeratelyNestedResidualsHitTheEntryLimit) {
  std::string json = R"({"input": 2, "layers": [{"type": "linear", "out": 2}, )";
  for (int i = 0; i < 70; ++i) json += R"({"type": "residual", "layers": [)";
  json += R"({"type": "relu"})";
  for (int i = 0; i < 70; ++i) json += "]}";
  json += "]}";
  EXPECT_EQ(model_error(json), "layers: 72 layers is more than the limit of 64");
}

}  // namespace
}  // namespace normlab
