// Findings of the spec fuzzer (tests/fuzz/spec_fuzz.cpp), one test each: every error is a named one, its
// message starts with its field, repeats no key or value whole, and is valid UTF-8 when the input is.
// Each crashing input is also in tests/fuzz/corpus/ (regress-*.json).
#include <gtest/gtest.h>

#include <string>

#include "inspect.h"
#include "jsonread.h"
#include "spec.h"

namespace normlab {
namespace {

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

// What the fuzzer asserts of every failing Status.
void expect_named(const Status& s, const std::string& field) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field(), field);
  EXPECT_EQ(s.message().rfind(field + ": ", 0), 0u) << s.message();
  EXPECT_LE(s.message().size(), s.field().size() + 2 + 320) << s.message();
  EXPECT_TRUE(valid_utf8(s.message())) << s.message();
}

Status model_error(const std::string& json) {
  ModelSpec spec;
  return parse_model_spec(json, &spec);
}

// regress-near-token-utf8.json: the token a parse error is "near" ended inside a UTF-8 character (the lexer
// stops after its first byte), and a token over 20 bytes was cut inside one.
TEST(FuzzRegressions, MalformedJsonNearTokenIsWholeCharacters) {
  Status s = model_error("{\"input\": \xC3\xA9}");  // {"input": é}
  expect_named(s, "model");
  EXPECT_EQ(s.message(), "model: malformed JSON at character 11 near '\"input\": ...'");

  s = model_error("{\"input\": 2, \"x\": \"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
  expect_named(s, "model");  // an unterminated string of é: 19 bytes of the token are whole characters
  EXPECT_NE(s.message().find("near '\"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9...'"), std::string::npos)
      << s.message();

  s = model_error("{\"input\": 2,, \"layers\": []}");  // ASCII tokens read as before
  EXPECT_EQ(s.message(), "model: malformed JSON at character 13 near '2,,'");
}

// regress-unknown-key.json: an unknown field's key was echoed whole, in the field and the message.
TEST(FuzzRegressions, UnknownKeyIsEchoedCut) {
  const std::string key(300, 'k');
  OptimizerSpec opt;
  Status s = parse_optimizer_spec("{\"type\": \"adam\", \"" + key + "\": 1}", &opt);
  const std::string cut_key = std::string(kEchoChars, 'k') + "… (cut)";
  expect_named(s, cut_key);
  EXPECT_EQ(s.message(), cut_key + ": unknown field for adam optimizer");

  s = model_error(R"({"input": 2, "layers": [{"type": "relu", ")" + key + R"(": 1}, {"type": "linear", "out": 2}]})");
  expect_named(s, "layers[0]." + cut_key);
  EXPECT_EQ(s.message(), "layers[0]." + cut_key + ": unknown field for relu layer");

  // A short key is named as it is.
  s = model_error(R"({"input": 2, "layers": [{"type": "linear", "out": 2, "outt": 2}]})");
  EXPECT_EQ(s.message(), "layers[0].outt: unknown field for linear layer");
  // Cutting a key never splits a character: 79 ASCII bytes, then "é" across the 80th and 81st.
  const std::string wide = std::string(79, 'a') + "\xC3\xA9" + std::string(40, 'b');
  s = model_error("{\"input\": 2, \"layers\": [{\"type\": \"linear\", \"out\": 2}], \"" + wide + "\": 0}");
  expect_named(s, std::string(79, 'a') + "… (cut)");
}

// regress-inspect-norm.json, regress-inspect-shape.json: the inspector echoed an unknown norm's name and a
// shape with too many dimensions whole.
TEST(FuzzRegressions, InspectorEchoesNormAndShapeCut) {
  InspectResult r;
  const std::string norm(1000, 'n');
  Status s = inspect_norm(R"({"norm": ")" + norm + R"(", "shape": [1, 2], "x": [1, 2]})", &r);
  expect_named(s, "norm");
  EXPECT_EQ(s.message(), "norm: unknown normalization '" + std::string(kEchoChars, 'n') +
                             "… (cut)' (batchnorm, layernorm, instancenorm, groupnorm, rmsnorm)");
  s = inspect_norm(R"({"norm": "layernrom", "shape": [1, 2], "x": [1, 2]})", &r);
  EXPECT_EQ(s.message(), "norm: unknown normalization 'layernrom' (batchnorm, layernorm, instancenorm, groupnorm, rmsnorm)");

  std::string dims = "1";
  for (int i = 0; i < 500; ++i) dims += ", 1";
  s = inspect_norm(R"({"norm": "layernorm", "shape": [)" + dims + R"(], "x": [1]})", &r);
  expect_named(s, "shape");
  EXPECT_EQ(s.message(), "shape: must be (N, C) or (N, C, H, W), got " + std::string("[") + dims.substr(0, kEchoChars - 1) + "… (cut)");
  s = inspect_norm(R"({"norm": "layernorm", "shape": [1, 2, 3], "x": [1, 2, 3, 4, 5, 6]})", &r);
  EXPECT_EQ(s.message(), "shape: must be (N, C) or (N, C, H, W), got [1, 2, 3]");
}

}  // namespace
}  // namespace normlab
