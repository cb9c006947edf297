// Batch composition: the order in which a Lab serves its training rows, epoch after epoch. Each sampler is one
// PyTorch sampler (the exported script writes it out, web/export/pytorch.ts; its PyTorch twin for the golden
// traces is tests/golden/torchlab.py), and the engine draws exactly what it draws.
//
// Entering `for xb, yb in loader` (an epoch) draws two numbers from PyTorch's global generator: the
// DataLoader's base seed, then the sampler's own seed, as RandomSampler draws it,
//     seed = int(torch.empty((), dtype=torch.int64).random_().item()); g = torch.Generator(); g.manual_seed(seed)
// and the sampler orders the n rows with draws from g only:
//   shuffle     RandomSampler, DataLoader(shuffle=True): torch.randperm(n, generator=g). The default.
//   balanced    each class's rows (ascending row order) reordered by torch.randperm(n_c, generator=g), class 0
//               first, then class 1, …; then interleaved: the first row of every class, then the second of every
//               class, … (a class that runs out leaves the others to go on). Every batch holds the classes in
//               equal shares, ±1.
//   sorted      torch.randperm(n, generator=g), then stably sorted by class: every row of class 0 in that random
//               order, then class 1, … Each batch is one class, but for the one where the classes meet.
//   duplicates  RandomSampler(replacement=True): n rows drawn with replacement, torch.randint(n, generator=g)
//               each (one 32-bit draw, random() % n). About 1/e ≈ 37 % of the rows sit an epoch out, others come
//               twice or more (sometimes within one batch).
// Every sampler serves n rows an epoch, so an epoch is always ⌈n / batch⌉ batches, the last one n mod batch.
#pragma once
#include <string>
#include <vector>

#include "util/rng.h"
#include "util/status.h"

namespace normlab {

enum class SamplerKind { Shuffle, Balanced, Sorted, Duplicates };

const char* sampler_name(SamplerKind kind);  // "shuffle", "balanced", "sorted", "duplicates"
// "sampler: unknown sampler "x" (expected shuffle, balanced, sorted or duplicates)"
Status parse_sampler(const std::string& name, SamplerKind* out);

// What one epoch's draw works in; grown once, so that a lab's epochs allocate nothing after the first.
struct SamplerScratch {
  std::vector<int> rows;    // (n): rows grouped by class
  std::vector<int> counts;  // (classes): rows per class
  std::vector<int> starts;  // (classes): where each class's rows start in `rows`
};

// One epoch's order of the rows whose labels are `labels` (each in [0, classes)), drawn from `gen` (PyTorch's
// global generator) as entering the DataLoader draws it: the base seed, the sampler's seed, then the sampler.
// Writes labels.size() row indices into *order.
void draw_epoch(SamplerKind kind, TorchGenerator& gen, const std::vector<int>& labels, int classes,
                std::vector<int>* order, SamplerScratch* scratch);

}  // namespace normlab
