// Mean cross-entropy over a batch (nn.CrossEntropyLoss), numerically stable via log-sum-exp.
#pragma once

namespace normlab {

// logits: (rows × classes); labels in [0, classes). Returns the mean loss and, if dlogits is not null,
// writes its gradient (softmax − onehot) / rows, with every value below kTinyLogitGrad in magnitude set to
// zero (loss.cpp). `correct` (optional) receives the number of argmax hits.
inline constexpr double kTinyLogitGrad = 0x1p-100;  // ≈ 7.9e-31
double cross_entropy(const float* logits, const int* labels, int rows, int classes, float* dlogits, int* correct);

// Softmax of each row, in place (rows × classes), for class probabilities.
void softmax_rows(float* logits, int rows, int classes);

}  // namespace normlab
