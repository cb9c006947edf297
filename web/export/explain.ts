// The "PyTorch code" panel: the lab's current configuration as the PyTorch code that would train it (what
// Export PyTorch downloads, without the weights), each line beside an explanation in the page's language.
import { modelJson, optimizerJson, type LabConfig } from '../config';
import { layerCode, type Layer } from './pytorch';

export interface Line {
  code: string;
  note: string;
}

type Lang = 'en' | 'ja';
type Texts = Record<string, { en: string; ja: string }>;

const T: Texts = {
  imports: { en: 'PyTorch, its layers, and the helpers that batch the data.', ja: 'PyTorch 本体と層のモジュール、データをミニバッチに分けるための道具を読み込みます。' },
  moons: { en: 'The same points normlab draws: scikit-learn’s generator with this seed gives them exactly.', ja: 'normlab と同じ点です。scikit-learn の生成関数にこのシードを渡すと、まったく同じデータが得られます。' },
  embedded: { en: 'This dataset is normlab’s own; the exported script embeds its exact points.', ja: 'このデータセットは normlab 独自のものです。書き出したスクリプトには点の座標がそのまま入っています。' },
  transform: { en: 'The lab’s input scale and shift: inputs far from zero.', ja: '入力の倍率とずらし幅です。入力を原点から遠ざけます。' },
  tensors: { en: 'float32 inputs and integer class labels, as PyTorch expects.', ja: 'PyTorch の流儀どおり、入力は float32、ラベルは整数のクラス番号にします。' },
  split: { en: 'The first points train; the last ones are held out for testing.', ja: '先頭の点で学習し、末尾の点はテスト用に取っておきます。' },
  seed: { en: 'Fixes the initial weights: the same seed gives the same weights in every run, as in the lab.', ja: '重みの初期値を固定します。ラボと同じく、同じシードならどのモデルも同じ初期値から始まります。' },
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
  loader: { en: 'Shuffles the training set every epoch and serves it in batches.', ja: '毎エポック学習データをシャッフルし、ミニバッチに分けて渡します。' },
  epochs: { en: 'Repeat for every epoch…', ja: 'エポックの数だけ繰り返します…' },
  batches: { en: '…and every batch: all models step on the same batch.', ja: '…ミニバッチごとに、すべてのモデルが同じバッチで 1 ステップ進みます。' },
  models: { en: 'For each model in turn:', ja: '各モデルについて順に：' },
  train: { en: 'Training mode: BatchNorm uses the batch’s statistics, dropout is on.', ja: '学習モード：BatchNorm はバッチの統計量を使い、ドロップアウトも有効になります。' },
  zero: { en: 'Gradients accumulate in PyTorch: clear them first.', ja: 'PyTorch では勾配が累積されるので、まず 0 に戻します。' },
  loss: { en: 'Forward pass and the loss on this batch.', ja: '順伝播して、このバッチでの損失を計算します。' },
  backward: { en: 'Backpropagation: the gradient of the loss for every parameter.', ja: '誤差逆伝播：すべてのパラメータについて損失の勾配を求めます。' },
  step: { en: 'The optimizer updates the parameters from their gradients.', ja: '最適化手法が勾配からパラメータを更新します。' },
};

const pyName = (name: string) => `model_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'run'}`;
const float = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

export function explainedCode(c: LabConfig, lang: Lang): Line[] {
  const t = (k: string) => T[k][lang];
  const lines: Line[] = [];
  const add = (code: string, note = '') => lines.push({ code, note });
  add('import torch, torch.nn as nn', t('imports'));
  add('from torch.utils.data import DataLoader, TensorDataset');
  const d = c.data;
  if (d.type === 'moons') add(`X, y = make_moons(n_samples=${d.points}, noise=${float(d.noise)}, random_state=${d.seed})`, t('moons'));
  else if (d.type === 'circles') add(`X, y = make_circles(n_samples=${d.points}, noise=${float(d.noise)}, random_state=${d.seed}, factor=0.8)`, t('moons'));
  else add(`X, y = X_EMBEDDED, Y_EMBEDDED  # ${d.type}`, t('embedded'));
  if (d.scale !== 1 || d.shift !== 0) add(`X = X * ${float(d.scale)} + ${float(d.shift)}`, t('transform'));
  add('X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)', t('tensors'));
  const nTrain = d.points - Math.round(d.points * d.testFraction);
  add(`X_train, y_train = X[:${nTrain}], y[:${nTrain}]`, t('split'));
  add(`torch.manual_seed(${c.training.seed})`, t('seed'));
  for (const run of c.runs) {
    add(`${pyName(run.name)} = nn.Sequential(`, `${t('sequential')} “${run.name}”.`);
    const model = JSON.parse(modelJson(c, run)) as { input: number; layers: Layer[] };
    let width = model.input;
    for (const l of model.layers) {
      const [code, next] = layerCode(l, width);
      width = next;
      add(`    ${code},`, T[l.type] ? t(l.type) : '');
    }
    add(')', t('close'));
  }
  add('criterion = nn.CrossEntropyLoss()', t('criterion'));
  const opt = JSON.parse(optimizerJson(c)) as { type: string; lr: number; momentum?: number; weight_decay: number };
  const cls = opt.type === 'sgd' ? 'SGD' : opt.type === 'adam' ? 'Adam' : 'AdamW';
  const models = c.runs.map((r) => pyName(r.name));
  add(`optimizers = [torch.optim.${cls}(m.parameters(), lr=${float(opt.lr)}${opt.momentum ? `, momentum=${opt.momentum}` : ''}${opt.weight_decay ? `, weight_decay=${float(opt.weight_decay)}` : ''}) for m in [${models.join(', ')}]]`, t('optimizer'));
  add(`loader = DataLoader(TensorDataset(X_train, y_train), batch_size=${c.training.batchSize}, shuffle=True)`, t('loader'));
  add(`for epoch in range(${c.training.epochs}):`, t('epochs'));
  add('    for xb, yb in loader:', t('batches'));
  add(`        for model, opt in zip([${models.join(', ')}], optimizers):`, t('models'));
  add('            model.train()', t('train'));
  add('            opt.zero_grad()', t('zero'));
  add('            loss = criterion(model(xb), yb)', t('loss'));
  add('            loss.backward()', t('backward'));
  add('            opt.step()', t('step'));
  return lines;
}
