// The samplers of sampler.h, each drawn as PyTorch draws it.
#include "sampler.h"

#include "jsonread.h"

namespace normlab {
namespace {

// torch.randperm(m, generator=g) applied to rows[0, m): randperm_cpu's swaps (z = random() % (m − i)), made on
// the rows themselves rather than on 0 … m − 1 and then indexed: the same order, rows[randperm[k]].
void randperm_in_place(TorchGenerator& g, int* rows, int m) {
  for (int i = 0; i < m - 1; ++i) {
    const int z = static_cast<int>(g.random() % static_cast<uint32_t>(m - i));
    const int tmp = rows[i];
    rows[i] = rows[z + i];
    rows[z + i] = tmp;
  }
}

// Counts the rows of each class and where each class's rows start when grouped by class (counting sort).
void group_by_class(const std::vector<int>& labels, int classes, SamplerScratch* s) {
  s->counts.assign(classes, 0);
  s->starts.assign(classes, 0);
  for (int y : labels) s->counts[y]++;
  for (int c = 1; c < classes; ++c) s->starts[c] = s->starts[c - 1] + s->counts[c - 1];
}

}  // namespace

const char* sampler_name(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::Shuffle: return "shuffle";
    case SamplerKind::Balanced: return "balanced";
    case SamplerKind::Sorted: return "sorted";
    case SamplerKind::Duplicates: return "duplicates";
  }
  return "shuffle";
}

Status parse_sampler(const std::string& name, SamplerKind* out) {
  for (SamplerKind k : {SamplerKind::Shuffle, SamplerKind::Balanced, SamplerKind::Sorted, SamplerKind::Duplicates}) {
    if (name == sampler_name(k)) {
      *out = k;
      return Status::Ok();
    }
  }
  return Status::Error("sampler", "unknown sampler \"" + cut(name) + "\" (expected shuffle, balanced, sorted or duplicates)");
}

void draw_epoch(SamplerKind kind, TorchGenerator& gen, const std::vector<int>& labels, int classes,
                std::vector<int>* order, SamplerScratch* scratch) {
  (void)gen.random_int64();                                        // _BaseDataLoaderIter._base_seed
  TorchGenerator g(static_cast<uint64_t>(gen.random_int64()));  // the sampler's seed and generator
  const int n = static_cast<int>(labels.size());
  order->resize(n);
  int* out = order->data();
  switch (kind) {
    case SamplerKind::Shuffle:
      for (int i = 0; i < n; ++i) out[i] = i;
      randperm_in_place(g, out, n);
      return;
    case SamplerKind::Duplicates:  // torch.randint(high=n, size=(n,), generator=g), in RandomSampler's chunks of 32
      for (int i = 0; i < n; ++i) out[i] = static_cast<int>(g.random() % static_cast<uint32_t>(n));
      return;
    case SamplerKind::Sorted: {
      for (int i = 0; i < n; ++i) out[i] = i;
      randperm_in_place(g, out, n);
      group_by_class(labels, classes, scratch);  // then sorted by class, stably (counting sort): within a class,
      scratch->rows.resize(n);                   // the permutation's order
      for (int i = 0; i < n; ++i) scratch->rows[scratch->starts[labels[out[i]]]++] = out[i];
      for (int i = 0; i < n; ++i) out[i] = scratch->rows[i];
      return;
    }
    case SamplerKind::Balanced: {
      group_by_class(labels, classes, scratch);  // each class's rows in ascending order, class after class
      scratch->rows.resize(n);
      int* rows = scratch->rows.data();
      for (int i = 0; i < n; ++i) rows[scratch->starts[labels[i]]++] = i;
      for (int c = 0; c < classes; ++c) scratch->starts[c] -= scratch->counts[c];
      for (int c = 0; c < classes; ++c) randperm_in_place(g, rows + scratch->starts[c], scratch->counts[c]);
      int k = 0;  // the first row of every class, then the second of every class, …
      for (int round = 0; k < n; ++round)
        for (int c = 0; c < classes; ++c)
          if (round < scratch->counts[c]) out[k++] = rows[scratch->starts[c] + round];
      return;
    }
  }
}

}  // namespace normlab
