// The "PyTorch code" panel: the script Export PyTorch downloads (pytorch.ts scriptLines), line by line, each
// explained in the page's language; the lines that hold the data and the weights show what they hold.
import type { LabConfig } from '../state/config';
import { scriptLines } from './pytorch.js';

export interface Line {
  code: string;
  note: string;
}

type Lang = 'en' | 'ja';
type Texts = Record<string, { en: string; ja: string }>;

export const NOTES = {
  modes: { en: 'Two ways to run this script: by default it loads the weights the page had and trains on from them with a fresh optimizer; with --from-scratch it retrains from the seed’s initial weights on the same batches and prints the page’s per-epoch curves again.', ja: 'このスクリプトの実行方法は 2 通りです。引数なしでは、ページの重みを読み込み、新しい最適化手法でそこから学習を続けます。--from-scratch を付けると、シードから決まる初期値に戻って同じミニバッチで学習し直し、ページと同じエポックごとの曲線を出力します。' },
  fromSeed: { en: 'The page’s runs started from the seed’s initial weights, so --from-scratch reproduces its curves.', ja: 'ページの各モデルはシードから決まる初期値から学習を始めているので、--from-scratch でその曲線を再現できます。' },
  imported: { en: 'The page’s runs started from weights imported from a model file (Import model), not from the seed: --from-scratch cannot reproduce its curves, and says so.', ja: 'ページの各モデルは、シードから決まる初期値ではなく、モデルファイルから読み込んだ重み（「モデルを読み込む」）から学習を始めています。そのため --from-scratch ではページの曲線を再現できず、実行時にもその旨を表示します。' },
  imports: { en: 'PyTorch, its layers, and the helpers that batch the data.', ja: 'PyTorch 本体と層のモジュール、データをミニバッチに分けるための道具を読み込みます。' },
  moons: { en: 'The same points normlab draws: scikit-learn’s generator with this seed gives them exactly.', ja: 'normlab と同じ点です。scikit-learn の生成関数にこのシードを渡すと、まったく同じデータが得られます。' },
  embedded: { en: 'This dataset is normlab’s own; the exported script embeds its exact points.', ja: 'このデータセットは normlab 独自のものです。書き出したスクリプトには点の座標がそのまま入っています。' },
  ownPoints: { en: 'Your own points, exactly as you drew or uploaded them, in the lab’s order (scaled and shifted if the lab does): no generator makes them.', ja: '自分で描いた（またはアップロードした）点そのものです。並びはラボと同じで、ラボが倍率とずらしをかけていればその後の値です。生成関数では作れないデータです。' },
  transform: { en: 'The lab’s input scale and shift: inputs far from zero.', ja: '入力の倍率とずらし幅です。入力を原点から遠ざけます。' },
  tensors: { en: 'float32 inputs and integer class labels, as PyTorch expects.', ja: 'PyTorch の流儀どおり、入力は float32、ラベルは整数のクラス番号にします。' },
  split: { en: 'The first points train; the last ones are held out for testing.', ja: '先頭の点で学習し、末尾の点はテスト用に取っておきます。' },
  initScale: { en: 'The lab’s Init scale: PyTorch’s default initialization of every linear layer (weight and bias), multiplied by this factor; normalization layers keep γ = 1, β = 0.', ja: 'ラボの「初期化の倍率」：全結合層ごとに PyTorch の既定の初期値（重みとバイアス）にこの倍率を掛けます。正規化層は γ = 1、β = 0 のままです。' },
  seed: { en: 'Fixes the initial weights: the generator is seeded again before each model, as in the lab, so every run’s linear layers start from the same weights (normalization and dropout layers draw none).', ja: '重みの初期値を固定します。ラボと同じく、モデルを作るたびに乱数生成器のシードを設定し直すので、どのモデルの全結合層も同じ初期重みから始まります（正規化層とドロップアウト層は乱数を使いません）。' },
  sequential: { en: 'A model is a list of layers applied in order; this one is the run', ja: 'モデルは順に適用される層の並びです。このモデルは次の実行に対応します：' },
  linear: { en: 'Fully connected: y = xWᵀ + b; W and b start uniform in ±1/√(inputs).', ja: '全結合層：y = xWᵀ + b。W と b は ±1/√(入力数) の一様分布で初期化されます。' },
  batchnorm: { en: 'Normalizes each feature over the batch, (x − μ_B)/√(σ²_B + ε)·γ + β; keeps running averages (momentum 0.1) for eval mode.', ja: '各特徴量をミニバッチ全体で正規化します：(x − μ_B)/√(σ²_B + ε)·γ + β。評価モード用に移動平均（momentum 0.1）も更新します。' },
  layernorm: { en: 'Normalizes each sample over its own features, (x − μ)/√(σ² + ε)·γ + β; the batch does not matter.', ja: '各サンプルを自分の特徴量だけで正規化します：(x − μ)/√(σ² + ε)·γ + β。バッチには依存しません。' },
  rmsnorm: { en: 'Divides each sample by its root mean square, x/√(mean(x²) + ε)·γ: no centering, no β.', ja: '各サンプルを二乗平均平方根で割ります：x/√(mean(x²) + ε)·γ。平均は引かず、β もありません。' },
  groupnorm: { en: 'Normalizes each group of features within a sample, then a γ and β per feature.', ja: 'サンプル内の特徴量をグループに分け、グループごとに正規化してから特徴量ごとに γ と β をかけます。' },
  relu: { en: 'ReLU: max(0, x).', ja: 'ReLU：max(0, x)。' },
  tanh: { en: 'tanh: squashes to (−1, 1); saturates for large |x|.', ja: 'tanh：(−1, 1) に押し込めます。|x| が大きいと飽和します。' },
  sigmoid: { en: 'Sigmoid: squashes to (0, 1); its gradient is at most 1/4, so deep stacks vanish.', ja: 'シグモイド：(0, 1) に押し込めます。勾配は最大でも 1/4 なので、深く重ねると勾配が消えていきます。' },
  gelu: { en: 'GELU: x·Φ(x), the exact erf form.', ja: 'GELU：x·Φ(x)（erf を使う厳密な形）。' },
  leaky_relu: { en: 'Leaky ReLU: x, or 0.01·x below zero.', ja: 'Leaky ReLU：正なら x、負なら 0.01·x。' },
  dropout: { en: 'Dropout: in training, zeroes each value with probability p and scales the rest by 1/(1 − p).', ja: 'ドロップアウト：学習中は確率 p で値を 0 にし、残りを 1/(1 − p) 倍します。' },
  residual: { en: 'A residual block: x + f(x).', ja: '残差ブロック：x + f(x)。' },
  close: { en: 'End of the model.', ja: 'モデルの定義はここまでです。' },
  criterion: { en: 'Mean cross-entropy over the batch (softmax inside).', ja: 'ミニバッチ平均の交差エントロピー（softmax は内部で計算されます）。' },
  optimizer: { en: 'One optimizer per model, each over its own parameters.', ja: 'モデルごとに、そのパラメータを更新する最適化手法を用意します。' },
  dtype: { en: 'float32, as the page computes; --float64 trains in float64 instead, to show how far float32 rounding alone moves the numbers.', ja: 'ページと同じ float32 で計算します。--float64 を付けると float64 で学習し、float32 の丸め誤差だけで値がどれだけ動くかを確かめられます。' },
  loader: { en: 'Shuffles the training set every epoch and serves it in batches.', ja: '毎エポック学習データをシャッフルし、ミニバッチに分けて渡します。' },
  loaderBalanced: { en: 'Serves the training set in class-balanced batches, drawn anew every epoch (the page’s Batches setting).', ja: '毎エポック引き直した、クラスが均等なミニバッチで学習データを渡します（ページの「バッチの作り方」の設定）。' },
  loaderSorted: { en: 'Serves the training set sorted by class, so each batch is one class (the page’s Batches setting): BatchNorm’s batch statistics become a single class’s.', ja: '学習データをクラス順に並べて渡すので、各ミニバッチはほぼ 1 クラスだけになります（ページの「バッチの作り方」の設定）。BatchNorm のバッチ統計量は 1 クラスだけのものになります。' },
  loaderDuplicates: { en: 'Draws the batches with replacement (the page’s Batches setting): some points come twice in an epoch, about a third not at all.', ja: '復元抽出でミニバッチを作ります（ページの「バッチの作り方」の設定）。1 エポックに 2 回以上出てくる点もあれば、約 3 分の 1 の点は一度も出てきません。' },
  samplerClass: { en: 'How the page draws its batches, written as a PyTorch sampler: every epoch it takes its seed from the global generator exactly as RandomSampler does, so --from-scratch gets the page’s batches (and the dropout masks drawn after them).', ja: 'ページのミニバッチの作り方を PyTorch のサンプラーとして書いたものです。RandomSampler と同じく毎エポック大域の乱数生成器からシードを取るので、--from-scratch でもページと同じミニバッチ（とその後に引くドロップアウトのマスク）になります。' },
  epochs: { en: 'Repeat for every epoch…', ja: 'エポックの数だけ繰り返します…' },
  batches: { en: '…and every batch: all models step on the same batch.', ja: '…ミニバッチごとに、すべてのモデルが同じバッチで 1 ステップ進みます。' },
  models: { en: 'For each model in turn:', ja: '各モデルについて順に：' },
  train: { en: 'Training mode: BatchNorm uses the batch’s statistics, dropout is on.', ja: '学習モード：BatchNorm はバッチの統計量を使い、ドロップアウトも有効になります。' },
  zero: { en: 'Gradients accumulate in PyTorch: clear them first.', ja: 'PyTorch では勾配が累積されるので、まず 0 に戻します。' },
  loss: { en: 'Forward pass and the loss on this batch.', ja: '順伝播して、このバッチでの損失を計算します。' },
  backward: { en: 'Backpropagation: the gradient of the loss for every parameter.', ja: '誤差逆伝播：すべてのパラメータについて損失の勾配を求めます。' },
  step: { en: 'The optimizer updates the parameters from their gradients.', ja: '最適化手法が勾配からパラメータを更新します。' },
  embeddedData: { en: 'The page’s exact points, embedded in the file (the panel leaves them out).', ja: 'ページと同じ点の座標そのものです。ファイルに埋め込まれています（この表示では省略）。' },
  noSklearn: { en: 'Without scikit-learn the embedded points are used: the same data either way.', ja: 'scikit-learn がなければ埋め込んだ点を使います。どちらでも同じデータです。' },
  rmsnormClass: { en: 'RMSNorm written out (nn.RMSNorm only exists from PyTorch 2.4), exactly as normlab computes it.', ja: 'RMSNorm を自前で定義します（nn.RMSNorm は PyTorch 2.4 以降にしかありません）。normlab と同じ計算です。' },
  residualClass: { en: 'A residual block: its inner layers f, and the skip connection x + f(x).', ja: '残差ブロック：内側の層 f と、スキップ接続 x + f(x) です。' },
  modelsDict: { en: 'One model per run of the lab, by name.', ja: 'ラボのモデル（実行）ごとに 1 つずつ、名前をキーにして作ります。' },
  weights: { en: 'The weights the page had when you exported, per model (the panel leaves them out).', ja: '書き出した時点のページの重みです（この表示では省略）。' },
  load: { en: 'Loads them into the models: training continues where the page stopped.', ja: 'それをモデルに読み込みます。ページで止めたところから学習を続けられます。' },
  evaluate: { en: 'Eval-mode loss and accuracy on a whole set, as the page computes them at the end of every epoch.', ja: '評価モードでのデータセット全体の損失と正解率です。ページも毎エポックの終わりに同じ計算をしています。' },
  stopped: { en: 'The runs that stopped, and why: as on the page, a run stops when its loss or a gradient is not finite, or when PyTorch refuses its batch; the others go on.', ja: '学習が止まったモデルとその理由を記録します。ページと同じく、損失や勾配が有限でなくなったモデルや、PyTorch がバッチを受け付けなかったモデルは止まり、ほかのモデルは学習を続けます。' },
  refused: { en: 'PyTorch refuses some batches — BatchNorm in training mode on a batch of one sample; the page stops such a run with the same message.', ja: 'PyTorch が受け付けないバッチもあります（学習モードの BatchNorm に 1 サンプルだけのバッチを渡した場合など）。ページもそのモデルを同じメッセージで止めます。' },
  diverged: { en: 'A loss that is not finite: the run has diverged and stops before any update, as on the page.', ja: '損失が有限でなければ、そのモデルは発散しています。ページと同じく、パラメータを更新せずに止めます。' },
  gradients: { en: 'Likewise when a gradient is not finite.', ja: '勾配が有限でない場合も同じく止めます。' },
  scalings: { en: 'The page’s Scale weights actions (the Scale invariance lesson): --from-scratch multiplies the same linear layer by the same α after the same number of steps, so its curves follow the page’s; the default mode starts from weights already scaled.', ja: 'ページで行った「重みを拡大縮小」（講義「スケール不変性」）です。--from-scratch では同じステップ数の後に同じ全結合層を同じ α 倍するので、曲線はページと同じになります。既定のモードは、すでに拡大縮小された重みから始めます。' },
  scale: { en: 'Scale weights, where the page did it: between two steps, with torch.no_grad(), the layer’s weight and bias × α; the optimizer’s state stays as it is.', ja: 'ページで「重みを拡大縮小」した位置で、2 つのステップの間に torch.no_grad() のもとで層の重みとバイアスを α 倍します。オプティマイザの状態はそのままです。' },
  evaluated: { en: 'Then the numbers the page plots: eval-mode accuracy on the training set, loss and accuracy on the test set.', ja: '続いて、ページがグラフに描く値を求めます。学習データでの正解率と、テストデータでの損失と正解率（いずれも評価モード）です。' },
  fromScratch: { en: '--from-scratch: the models keep the initial weights they were built with, and training draws the batches and dropout masks in the page’s order, so it gives the page’s curves (up to rounding: see the top of the file).', ja: '--from-scratch：モデルは作ったときの初期重みのまま学習を始めます。ミニバッチとドロップアウトのマスクもページと同じ順序で乱数から作られるので、ページと同じ曲線になります（丸め誤差の影響についてはファイル冒頭を参照）。' },
  continue: { en: 'Otherwise the page’s weights: training continues from them with a fresh optimizer (its state, such as momentum, starts again from zero).', ja: 'そうでなければページの重みを読み込み、そこから新しい最適化手法で学習を続けます（モーメンタムなどの内部状態は 0 からやり直しです）。' },
  checkData: { en: 'A few training points and the page’s own logits for them, to check the export.', ja: '確認用に、学習データの先頭数点と、それに対するページ自身の出力（ロジット）を入れておきます。' },
  check: { en: '--check: PyTorch recomputes those logits and compares them with the page’s.', ja: '--check：PyTorch でロジットを計算し直し、ページの値と比べます。' },
  eval: { en: 'Eval mode: BatchNorm uses its running averages, dropout is off — as the page’s boundary does.', ja: '評価モード：BatchNorm は移動平均を使い、ドロップアウトは無効になります（ページの決定境界と同じ）。' },
  epochMean: { en: 'The mean of the epoch’s batch losses, the number the lesson prints.', ja: 'エポック内のバッチ損失の平均です。講義で表示している値と同じものです。' },
  run: { en: 'Without --check: train for the lab’s epochs (or --epochs N), printing every epoch’s numbers.', ja: '--check を付けなければ、ラボと同じエポック数（または --epochs N）だけ学習し、エポックごとの値を表示します。' },
} satisfies Texts;

export type NoteKey = keyof typeof NOTES;

export function explainedCode(c: LabConfig, lang: Lang): Line[] {
  return scriptLines(c, null).map((l) => ({ code: l.shown ?? l.code, note: l.note && l.note in NOTES ? NOTES[l.note][lang] + (l.suffix ?? '') : '' }));
}
