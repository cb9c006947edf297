// Replays PyTorch's golden traces (tests/golden/make_golden.py). The committed traces are always replayed;
// NORMLAB_GOLDEN_DIR names an extra directory of fresh ones (CI makes new random cases on every run).
// Tolerances: loss 1e-4 relative; parameters and buffers 1e-4 absolute + 1e-3 relative.
#include <dirent.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data.h"
#include "lab.h"
#include "test_util.h"

namespace normlab {
namespace {

using json = nlohmann::json;

json load(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << path;
  return j;
}

std::string traces_dir() { return std::string(NORMLAB_SOURCE_DIR) + "/tests/golden/traces"; }

std::vector<std::string> case_files() {
  std::vector<std::string> dirs{traces_dir()};
  if (const char* extra = std::getenv("NORMLAB_GOLDEN_DIR")) dirs.push_back(extra);
  std::vector<std::string> files;
  for (const auto& d : dirs) {
    DIR* dir = opendir(d.c_str());
    if (!dir) continue;
    while (dirent* e = readdir(dir)) {
      const std::string name = e->d_name;
      if (name.rfind("case_", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".json")
        files.push_back(d + "/" + name);
    }
    closedir(dir);
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool close(double a, double b, double atol, double rtol) { return std::fabs(a - b) <= atol + rtol * std::fabs(b); }

void expect_tensor_near(const std::string& what, const float* got, const json& want, double atol, double rtol) {
  double worst = 0;
  size_t worst_i = 0, bad = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double w = want[i].get<float>();
    const double err = std::fabs(got[i] - w) - rtol * std::fabs(w);
    if (err > worst) worst = err, worst_i = i;
    bad += !close(got[i], w, atol, rtol);
  }
  EXPECT_EQ(bad, 0u) << what << ": " << bad << " of " << want.size() << " values off; worst [" << worst_i << "] got "
                     << got[worst_i] << " want " << want[worst_i].get<double>();
}

bool is_noisy(const json& noisy, const std::string& name) {
  for (const auto& n : noisy)
    if (n.get<std::string>() == name) return true;
  return false;
}

void load_state(Model& m, const json& state) {
  for (const auto& pair : state) {
    const std::string name = pair[0].get<std::string>();
    const int id = m.tensors().find(name);
    ASSERT_GE(id, 0) << name;
    ASSERT_EQ(m.tensors().entries()[id].size, pair[1].size()) << name;
    float* v = m.tensors().value(id);
    for (size_t k = 0; k < pair[1].size(); ++k) v[k] = pair[1][k].get<float>();
  }
}

void expect_state_names(Model& m, const json& state) {
  const auto& entries = m.tensors().entries();
  ASSERT_EQ(entries.size(), state.size());
  for (size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].name, state[i][0].get<std::string>());
}

void replay_case(const std::string& path) {
  SCOPED_TRACE(path);
  const json t = load(path);
  ModelSpec spec = testing::model_spec(t["model"].dump());
  OptimizerSpec ospec = testing::optimizer_spec(t["optimizer"].dump());
  std::unique_ptr<Model> m;
  ASSERT_TRUE(Model::create(spec, t["init_seed"].get<uint64_t>(), &m).ok());
  expect_state_names(*m, t["initial_state"]);
  // Initial weights from the seed alone: exactly PyTorch's.
  for (const auto& pair : t["initial_state"]) {
    const int id = m->tensors().find(pair[0].get<std::string>());
    const float* v = m->tensors().value(id);
    size_t diff = 0;
    for (size_t k = 0; k < pair[1].size(); ++k) diff += v[k] != pair[1][k].get<float>();
    EXPECT_EQ(diff, 0u) << pair[0] << " initial values differ from torch.manual_seed(" << t["init_seed"] << ")";
  }
  Optimizer opt(ospec, m->tensors().params().size());
  m->generator().manual_seed(t["train_seed"].get<uint64_t>());
  const int input = spec.input;
  const auto& x = t["x"];
  const auto& y = t["y"];
  std::vector<float> bx;
  std::vector<int> by;
  for (size_t s = 0; s < t["batches"].size(); ++s) {
    const auto& idx = t["batches"][s];
    bx.clear(), by.clear();
    for (const auto& i : idx) {
      const int r = i.get<int>();
      for (int k = 0; k < input; ++k) bx.push_back(x[static_cast<size_t>(r) * input + k].get<float>());
      by.push_back(y[r].get<int>());
    }
    double loss = 0;
    Status st = m->train_step(bx.data(), by.data(), static_cast<int>(by.size()), opt, &loss);
    ASSERT_TRUE(st.ok()) << st.message();
    const double want = t["losses"][s].get<double>();
    EXPECT_TRUE(close(loss, want, 0, 1e-4)) << "step " << s << " loss " << loss << " want " << want;
  }
  for (const auto& pair : t["final_state"]) {
    const std::string name = pair[0].get<std::string>();
    if (is_noisy(t["noisy"], name)) continue;
    expect_tensor_near("final " + name, m->tensors().value(m->tensors().find(name)), pair[1], 1e-4, 1e-3);
  }
  // Eval mode on PyTorch's own final state (independent of rounding-noise trajectories).
  std::unique_ptr<Model> fresh;
  ASSERT_TRUE(Model::create(spec, 0, &fresh).ok());
  load_state(*fresh, t["final_state"]);
  fresh->set_training(false);
  const int n = t["n"].get<int>();
  std::vector<float> all(x.size()), logits(static_cast<size_t>(n) * spec.classes);
  for (size_t k = 0; k < x.size(); ++k) all[k] = x[k].get<float>();
  ASSERT_TRUE(fresh->forward(all.data(), n, logits.data()).ok());
  expect_tensor_near("eval logits (torch's final state)", logits.data(), t["eval_logits"], 1e-4, 1e-3);
  if (t["noisy"].empty()) {
    m->set_training(false);
    ASSERT_TRUE(m->forward(all.data(), n, logits.data()).ok());
    expect_tensor_near("eval logits (trained here)", logits.data(), t["eval_logits"], 1e-4, 1e-3);
  }
}

TEST(Golden, RandomModelsMatchPyTorch) {
  const auto files = case_files();
  ASSERT_GE(files.size(), 10u) << "golden traces missing in " << traces_dir();
  for (const auto& f : files) replay_case(f);
}

TEST(Golden, LessonLayerNormExample) {
  const json t = load(traces_dir() + "/layernorm_lesson.json");
  auto m = testing::make_model(R"({"input": 10, "layers": [{"type": "layernorm"}, {"type": "linear", "out": 2}]})");
  std::vector<float> x, y(40);
  for (const auto& v : t["x"]) x.push_back(v.get<float>());
  Context ctx{true, nullptr};
  m->net().layer(0).reserve(4);
  ASSERT_TRUE(m->net().layer(0).forward(x.data(), y.data(), 4, ctx).ok());
  expect_tensor_near("LayerNorm(10)(x)", y.data(), t["y"], 1e-5, 1e-5);
  for (int r = 0; r < 4; ++r) {
    double mean = 0, ss = 0;
    for (int k = 0; k < 10; ++k) mean += y[r * 10 + k];
    mean /= 10;
    for (int k = 0; k < 10; ++k) ss += (y[r * 10 + k] - mean) * (y[r * 10 + k] - mean);
    EXPECT_NEAR(mean, t["mean_after"][r].get<double>(), 1e-5);
    EXPECT_NEAR(ss / 9, t["var_after"][r].get<double>(), 1e-4) << "unbiased .var() after LayerNorm reads ~1.1111";
    EXPECT_NEAR(ss / 10, t["var_after_biased"][r].get<double>(), 1e-4);
    EXPECT_NEAR(ss / 9, 10.0 / 9.0, 1e-3);
  }
}

TEST(Golden, DatasetsEqualScikitLearn) {
  const json t = load(traces_dir() + "/datasets_sklearn.json");
  for (const char* kind : {"moons", "circles"}) {
    for (const auto& c : t[kind]) {
      DataSpec spec;
      spec.kind = std::string(kind) == "moons" ? DatasetKind::Moons : DatasetKind::Circles;
      spec.points = c["n"].get<int>();
      spec.noise = c["noise"].get<double>();
      spec.seed = c["seed"].get<uint32_t>();
      const Dataset d = make_dataset(spec);
      ASSERT_EQ(d.x.size(), c["x"].size());
      size_t xdiff = 0, ydiff = 0;
      for (size_t k = 0; k < d.x.size(); ++k) xdiff += d.x[k] != c["x"][k].get<float>();
      for (size_t k = 0; k < d.y.size(); ++k) ydiff += d.y[k] != c["y"][k].get<int>();
      EXPECT_EQ(xdiff, 0u) << kind << " n=" << spec.points << " seed=" << spec.seed << ": points differ from scikit-learn";
      EXPECT_EQ(ydiff, 0u) << kind << ": labels differ";
    }
  }
}

TEST(Golden, DropoutMasksEqualPyTorch) {
  const json t = load(traces_dir() + "/dropout_check.json");
  const double p = t["p"].get<double>();
  TorchGenerator gen(t["seed"].get<uint64_t>());
  const float scale = 1.0f / static_cast<float>(1.0 - p);
  size_t diff = 0;
  for (size_t k = 0; k < t["x"].size(); ++k) {
    const float y = gen.bernoulli(1.0 - p) ? t["x"][k].get<float>() * scale : 0.0f;
    diff += y != t["y"][k].get<float>();
  }
  EXPECT_EQ(diff, 0u);
}

// The lesson's own experiment, re-run: same data, same two models built one after the other from
// torch.manual_seed(0), same DataLoader order, same losses. The BatchNorm model's first-layer biases get
// only rounding-noise gradients (BN subtracts the batch mean) which Adam turns into full-size steps; the
// rounding of x·Wᵀ + b then differs between any two implementations and training amplifies it, so after
// two epochs its losses agree to 2e-3 rather than 1e-4 (model a, without BN, agrees to 1e-4 throughout).
TEST(Golden, LessonExperimentReproducesPyTorch) {
  const json t = load(traces_dir() + "/lesson_seed0.json");
  Lab lab;
  lab.set_init_mode(InitMode::Sequential);
  DataSpec data;
  data.points = 2000, data.noise = 0.2, data.seed = 0, data.test_fraction = 0;
  ASSERT_TRUE(lab.set_data(data).ok());
  ASSERT_TRUE(lab.set_batch_size(t["batch_size"].get<int>()).ok());
  int a, b;
  const OptimizerSpec opt = testing::optimizer_spec(t["optimizer"].dump());
  ASSERT_TRUE(lab.add_run(testing::model_spec(t["model_a"].dump()), opt, &a).ok());
  ASSERT_TRUE(lab.add_run(testing::model_spec(t["model_b"].dump()), opt, &b).ok());
  ASSERT_TRUE(lab.reset(t["seed"].get<uint32_t>()).ok());
  for (const auto& pair : t["initial_state_b"]) {
    const int id = lab.run(b).model->tensors().find(pair[0].get<std::string>());
    expect_tensor_near("initial " + pair[0].get<std::string>(), lab.run(b).model->tensors().value(id), pair[1], 0, 0);
  }
  size_t step = 0;
  for (int e = 0; e < t["epochs"].get<int>(); ++e) {
    std::vector<int> order;
    EpochSummary summary;
    bool ended = false;
    while (!ended) {
      ended = lab.step(&summary);
      order.insert(order.end(), lab.last_batch().begin(), lab.last_batch().end());
      EXPECT_TRUE(close(lab.run(a).loss, t["losses_a"][step].get<double>(), 0, 1e-4)) << "step " << step;
      EXPECT_TRUE(close(lab.run(b).loss, t["losses_b"][step].get<double>(), 0, step < 64 ? 1e-4 : 2e-3))
          << "step " << step << " got " << lab.run(b).loss << " want " << t["losses_b"][step].get<double>();
      ++step;
    }
    EXPECT_EQ(order, t["perms"][e].get<std::vector<int>>()) << "epoch " << e << ": batch order differs from DataLoader";
    EXPECT_TRUE(close(summary.mean_loss[0], t["epoch_loss_a"][e].get<double>(), 0, 1e-4));
    EXPECT_TRUE(close(summary.mean_loss[1], t["epoch_loss_b"][e].get<double>(), 0, e < 2 ? 1e-4 : 2e-3));
  }
  for (const auto& pair : t["final_state_a"]) {
    const std::string name = pair[0].get<std::string>();
    expect_tensor_near("final a " + name, lab.run(a).model->tensors().value(lab.run(a).model->tensors().find(name)), pair[1], 1e-4, 1e-3);
  }
  for (const auto& pair : t["final_state_b"]) {
    const std::string name = pair[0].get<std::string>();
    if (is_noisy(t["noisy_b"], name)) continue;
    expect_tensor_near("final b " + name, lab.run(b).model->tensors().value(lab.run(b).model->tensors().find(name)), pair[1], 2e-2, 2e-2);
  }
}

}  // namespace
}  // namespace normlab
