// GroupNorm on (rows × C): each row's C features are split into `groups` consecutive groups of C/groups;
// each group is normalized by its own mean and biased variance (ε inside the root), then every feature gets
// its own γ and β. groups = C normalizes every feature alone (InstanceNorm-like).
// LayerNorm is GroupNorm with one group. Both are the same layer (SegmentNorm in layernorm.cpp): LayerNorm
// makes it with groups = 1, GroupNorm with the spec's groups.
#include "layer.h"

namespace normlab {

std::unique_ptr<Layer> make_groupnorm(const LayerSpec& spec, int width) {
  return make_segment_norm(LayerKind::GroupNorm, spec.groups, spec.eps, width);
}

}  // namespace normlab
