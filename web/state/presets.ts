// Presets: settings worth seeing, each with a caption that says what to look at and what happens. Every
// caption's claim is also a machine-checkable list (`claims`), which tests/node/presets.test.mjs verifies by
// training the preset through the engine with seeds 0, 1 and 2 (data seed and training seed alike). If a
// measurement disagrees with a caption, the caption changes — never the test.
import { defaultConfig, withOwnPoints, type LabConfig, type OwnPoints, type RunConfig } from './config.js';
import { snapToLinkGrid } from './ownpoints.js';
import type { Section } from './urlstate.js';

// Final-epoch mean training loss of a run (by index): compared with a number or with another run.
export type Claim =
  | { kind: 'lossBelow'; run: number; value: number }
  | { kind: 'lossAbove'; run: number; value: number }
  | { kind: 'lossLess'; run: number; than: number }
  | { kind: 'lossClose'; run: number; to: number; within: number }
  | { kind: 'testAccuracyAbove'; run: number; value: number } // eval-mode accuracy on the held-out points
  | { kind: 'testAccuracyBelow'; run: number; value: number }
  | { kind: 'testLossAbove'; run: number; value: number }  // eval-mode loss on the held-out points
  | { kind: 'testLossBelow'; run: number; value: number }
  | { kind: 'testLossLess'; run: number; than: number }
  | { kind: 'stops'; run: number; message: string } // the run stops with an error starting with `message`
  // Why normalization helps (engine/theory.ts). The k-th linear layer (`linear`, 0-based) of a run: its effective
  // learning rate lr/‖W‖² at the end over the one it started with is at least `factor` (Rises) or below it (RiseBelow).
  | { kind: 'effectiveLrRises'; run: number; linear: number; factor: number }
  | { kind: 'effectiveLrRiseBelow'; run: number; linear: number; factor: number }
  // The loss landscape measured as the Loss landscape lesson measures it (every LANDSCAPE_EVERY steps): the run's
  // mean band (lossMax − lossMin) or mean gradient change (gradDiffMax), times `factor`, is below the other's.
  | { kind: 'bandLess'; run: number; than: number; factor: number }
  | { kind: 'gradDiffLess'; run: number; than: number; factor: number }
  // Train mode against eval mode on the training set, at the end: |train-mode accuracy − eval-mode accuracy|, where
  // train mode predicts every training point with the statistics of its batch — the batches of one more epoch of
  // the lab's sampler, lab.sampleEpochs(1, training seed), in batches of the batch size — and eval mode with the
  // running statistics (engine/batchmates.ts trainEvalAccuracy).
  | { kind: 'trainEvalGapAbove'; run: number; value: number }
  | { kind: 'trainEvalGapBelow'; run: number; value: number };

export interface Preset {
  id: string;
  name: { en: string; ja: string };
  caption: { en: string; ja: string };
  config: LabConfig;
  claims: Claim[];
  section?: Section; // the lesson that shows what the caption speaks of: choosing the preset opens it
}

const run = (name: string, norm: RunConfig['norm'], placement: RunConfig['placement'] = 'before', dropout = 0): RunConfig =>
  ({ name, norm, placement, groups: 8, dropout });

function preset(id: string, name: Preset['name'], caption: Preset['caption'], edit: (c: LabConfig) => void, claims: Claim[]): Preset {
  const config = defaultConfig();
  edit(config);
  return { id, name, caption, config, claims };
}

export const PRESETS: Preset[] = [
  preset('lesson',
    { en: 'The lesson’s experiment', ja: '講義の実験そのまま' },
    {
      en: 'The lesson’s own experiment: moons, 2 × 64 ReLU, Adam 0.01, 50 epochs. The lesson expected BatchNorm to reach a lower loss — re-run honestly, it does not: after 50 epochs the model without normalization has the lower training loss for every seed, and both reach over 93 % test accuracy. On a shallow net with Adam, BatchNorm has nothing to fix.',
      ja: '講義の実験そのもの（moons、ReLU の 2 層 × 64、Adam 0.01、50 エポック）です。講義では BatchNorm のほうが損失が下がると予想していましたが、実際に動かすとそうはなりません。50 エポック後の学習損失は、どのシードでも正規化なしのほうが低く、テスト正解率はどちらも 93 % を超えます。浅いネットワークを Adam で学習する場合、BatchNorm が解決すべき問題はもともとないのです。',
    },
    () => {},
    [{ kind: 'lossLess', run: 0, than: 1 }, { kind: 'testAccuracyAbove', run: 0, value: 0.93 }, { kind: 'testAccuracyAbove', run: 1, value: 0.93 }]),

  preset('deep-sigmoid',
    { en: 'Deep sigmoid net: only BatchNorm trains', ja: '深いシグモイド網：学習できるのは BatchNorm だけ' },
    {
      en: '8 hidden sigmoid layers, plain SGD 0.1, 30 epochs. Without normalization the gradients vanish and the loss stays at chance (above 0.65; ln 2 ≈ 0.69). BatchNorm re-centres every layer’s inputs on the batch and trains to below 0.2. LayerNorm and RMSNorm normalize each sample instead — here that does not help: they stay above 0.65 too.',
      ja: 'シグモイドの隠れ層 8 層、素の SGD（学習率 0.1）、30 エポック。正規化なしでは勾配が消失し、損失は当てずっぽうの水準（0.65 超、ln 2 ≈ 0.69）から下がりません。BatchNorm はバッチの統計で各層の入力を中心に戻すため、0.2 未満まで学習が進みます。サンプルごとに正規化する LayerNorm と RMSNorm はこの設定では効かず、やはり 0.65 を超えたままです。',
    },
    (c) => {
      c.model = { ...c.model, hiddenLayers: 8, width: 64, activation: 'sigmoid' };
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm'), run('RMSNorm', 'rmsnorm')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.1, epochs: 30 };
    },
    [{ kind: 'lossAbove', run: 0, value: 0.65 }, { kind: 'lossBelow', run: 1, value: 0.2 },
      { kind: 'lossAbove', run: 2, value: 0.65 }, { kind: 'lossAbove', run: 3, value: 0.65 }]),

  preset('deep-tanh',
    { en: 'Deep tanh net: LayerNorm wins', ja: '深い tanh 網：LayerNorm が最も速い' },
    {
      en: '8 hidden tanh layers, SGD 0.05, only 5 epochs. Every normalization speeds training up, but not equally: LayerNorm ends lowest, BatchNorm between, no normalization highest — for every seed. RMSNorm (no centering) also ends below BatchNorm.',
      ja: 'tanh の隠れ層 8 層、SGD（学習率 0.05）、わずか 5 エポック。どの正規化も学習を速めますが、効き方は同じではありません。どのシードでも、損失は LayerNorm が最も低く、BatchNorm がその次、正規化なしが最も高くなります。平均を引かない RMSNorm も BatchNorm より低い損失で終わります。',
    },
    (c) => {
      c.model = { ...c.model, hiddenLayers: 8, width: 64, activation: 'tanh' };
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm'), run('RMSNorm', 'rmsnorm')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.05, epochs: 5 };
    },
    [{ kind: 'lossLess', run: 2, than: 1 }, { kind: 'lossLess', run: 1, than: 0 }, { kind: 'lossLess', run: 3, than: 1 }]),

  preset('high-lr',
    { en: 'A learning rate only BatchNorm survives', ja: 'BatchNorm だけが耐えられる学習率' },
    {
      en: 'The lesson’s net with plain SGD at learning rate 4, 20 epochs. Without normalization, and with LayerNorm, training does not settle (loss above 0.4). BatchNorm keeps each layer’s scale in check and still learns the moons: loss below 0.2, test accuracy above 90 %.',
      ja: '講義のネットワークを、素の SGD・学習率 4 で 20 エポック学習します。正規化なしでも LayerNorm でも学習は落ち着かず、損失は 0.4 を超えたままです。BatchNorm は各層の出力のスケールを抑えるので、この学習率でも月形をきちんと学習します（損失 0.2 未満、テスト正解率 90 % 超）。',
    },
    (c) => {
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 4, epochs: 20 };
    },
    [{ kind: 'lossAbove', run: 0, value: 0.4 }, { kind: 'lossBelow', run: 1, value: 0.2 }, { kind: 'lossAbove', run: 2, value: 0.4 },
      { kind: 'testAccuracyAbove', run: 1, value: 0.9 }]),

  preset('tiny-batch',
    { en: 'Batches of two: BatchNorm breaks, LayerNorm does not', ja: 'バッチサイズ 2：BatchNorm は崩れ、LayerNorm は平気' },
    {
      en: 'Batch size 2, Adam 0.01, 3 epochs. BatchNorm’s mean and variance now come from two samples — noise — and its loss stays above 0.5. LayerNorm normalizes each sample on its own, does not care about the batch size, and trains to below 0.2.',
      ja: 'バッチサイズ 2、Adam 0.01、3 エポック。BatchNorm の平均と分散はわずか 2 サンプルから計算されるためほとんど雑音になり、損失は 0.5 を超えたままです。LayerNorm はサンプルごとに正規化するのでバッチサイズに左右されず、0.2 未満まで学習します。',
    },
    (c) => {
      c.runs = [run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, batchSize: 2, epochs: 3 };
    },
    [{ kind: 'lossAbove', run: 0, value: 0.5 }, { kind: 'lossBelow', run: 1, value: 0.2 }]),

  preset('placement',
    { en: 'BatchNorm before or after the activation', ja: 'BatchNorm は活性化関数の前か後か' },
    {
      en: 'The deep sigmoid net again, with BatchNorm before the activation (as the lesson places it) and after it. Both train, and here the placement hardly matters: their final losses differ by less than 0.02.',
      ja: 'もう一度、深いシグモイド網です。BatchNorm を活性化関数の前（講義の配置）に置いた場合と後に置いた場合を比べます。どちらも学習でき、この設定では位置の違いはほとんど効きません。最終的な損失の差は 0.02 未満です。',
    },
    (c) => {
      c.model = { ...c.model, hiddenLayers: 8, width: 64, activation: 'sigmoid' };
      c.runs = [run('BN before', 'batchnorm', 'before'), run('BN after', 'batchnorm', 'after')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.1, epochs: 30 };
    },
    [{ kind: 'lossClose', run: 0, to: 1, within: 0.02 }, { kind: 'lossBelow', run: 0, value: 0.2 }, { kind: 'lossBelow', run: 1, value: 0.2 }]),
];

PRESETS.push(
  preset('shifted-inputs',
    { en: 'Inputs far from zero (×5 + 20)', ja: '原点から遠い入力（×5 + 20）' },
    {
      en: 'The moons scaled ×5 and shifted by +20, a 6-layer ReLU net, SGD 0.05, 30 epochs. Every first-layer unit now sees large, nearly equal inputs; without normalization the loss stays above 0.3, and LayerNorm (which normalizes across a sample’s features, not across the data) does no better. BatchNorm re-centres each feature over the batch and reaches below 0.15.',
      ja: '月形データを 5 倍して +20 だけずらし、ReLU の 6 層ネットワークを SGD（学習率 0.05）で 30 エポック学習します。第 1 層のどのユニットにも大きくほぼ同じ値が入るため、正規化なしでは損失が 0.3 を下回りません。サンプル内の特徴量どうしで正規化する LayerNorm も改善しません。BatchNorm は各特徴量をバッチ全体で中心に戻すので、0.15 未満まで下がります。',
    },
    (c) => {
      c.data = { ...c.data, scale: 5, shift: 20 };
      c.model = { ...c.model, hiddenLayers: 6, width: 64, activation: 'relu' };
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.05, epochs: 30 };
    },
    [{ kind: 'lossAbove', run: 0, value: 0.3 }, { kind: 'lossBelow', run: 1, value: 0.15 }, { kind: 'lossAbove', run: 2, value: 0.3 }]),

  preset('dropout',
    { en: 'Few points, a big net: dropout and BatchNorm against overfitting', ja: '少ないデータと大きなネットワーク：過学習とドロップアウト・BatchNorm' },
    {
      en: '150 training points (noise 0.35), 3 × 128 ReLU, Adam 0.01, 200 epochs; half the points are held out. Watch the test loss (eval mode). Without normalization the net memorizes the training points and its test loss ends above 0.7. Dropout (p = 0.3) lowers that test loss for every seed. BatchNorm’s batch noise regularizes too: with or without dropout its test loss stays below 0.4.',
      ja: '学習データ 150 点（ノイズ 0.35）に対して ReLU 3 層 × 128 の大きなネットワークを Adam 0.01 で 200 エポック学習します。データの半分はテスト用です。テスト損失（評価モード）に注目してください。正規化なしでは学習データを丸暗記してしまい、テスト損失は 0.7 を超えます。ドロップアウト（p = 0.3）を入れると、どのシードでもテスト損失が下がります。BatchNorm もバッチ統計のゆらぎが正則化として働き、ドロップアウトの有無にかかわらずテスト損失は 0.4 未満に収まります。',
    },
    (c) => {
      c.data = { ...c.data, points: 300, noise: 0.35, testFraction: 0.5 };
      c.model = { ...c.model, hiddenLayers: 3, width: 128, activation: 'relu' };
      c.runs = [run('No norm', 'none'), run('Dropout 0.3', 'none', 'before', 0.3), run('BatchNorm', 'batchnorm'), run('BN + dropout', 'batchnorm', 'before', 0.3)];
      c.training = { ...c.training, batchSize: 32, epochs: 200 };
    },
    [{ kind: 'testLossAbove', run: 0, value: 0.7 }, { kind: 'testLossLess', run: 1, than: 0 },
      { kind: 'testLossBelow', run: 2, value: 0.4 }, { kind: 'testLossBelow', run: 3, value: 0.4 }]),

  preset('batch-one',
    { en: 'Batch size 1: BatchNorm cannot train, LayerNorm can', ja: 'バッチサイズ 1：BatchNorm は学習できず、LayerNorm はできる' },
    {
      en: 'One sample per step (Adam 0.001, 2 epochs). BatchNorm needs more than one value per feature to compute a variance, so — exactly as PyTorch — it stops at the first step with “expected more than 1 value per channel when training”. LayerNorm only looks at one sample and trains to below 0.15.',
      ja: '1 ステップに 1 サンプル（Adam 0.001、2 エポック）。BatchNorm は特徴量ごとに 2 つ以上の値がないと分散を計算できないため、PyTorch と同じく最初のステップで “expected more than 1 value per channel when training” というエラーで止まります。LayerNorm は 1 サンプルの中だけを見るので、0.15 未満まで学習できます。',
    },
    (c) => {
      c.runs = [run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, lr: 0.001, batchSize: 1, epochs: 2 };
    },
    [{ kind: 'stops', run: 0, message: 'batchnorm: expected more than 1 value per channel when training' }, { kind: 'lossBelow', run: 1, value: 0.15 }]),
);

PRESETS.push(
  preset('residual',
    { en: 'Deep residual net: pre-norm vs post-norm', ja: '深い残差ネットワーク：Pre-norm と Post-norm' },
    {
      en: '7 residual blocks (Linear → ReLU → Linear, width 64), Adam at a high learning rate, 0.05, 10 epochs. Pre-norm — x + f(LayerNorm(x)), the lesson’s Transformer form — trains to below 0.15. Post-norm — LayerNorm(x + f(x)) — stays stuck at chance (loss above 0.65), and the same blocks without normalization end in between: worse than pre-norm for every seed.',
      ja: '残差ブロック 7 個（Linear → ReLU → Linear、幅 64）を、Adam の高めの学習率 0.05 で 10 エポック学習します。講義の Transformer と同じ Pre-norm（x + f(LayerNorm(x))）は損失 0.15 未満まで学習できます。一方 Post-norm（LayerNorm(x + f(x))）は当てずっぽうの水準（0.65 超）から動かず、正規化なしの同じブロックはその中間で、どのシードでも Pre-norm より悪い結果に終わります。',
    },
    (c) => {
      c.model = { ...c.model, architecture: 'residual', hiddenLayers: 7, width: 64, activation: 'relu' };
      c.runs = [run('No norm', 'none'), run('Pre-norm (LN)', 'layernorm', 'before'), run('Post-norm (LN)', 'layernorm', 'after')];
      c.training = { ...c.training, optimizer: 'adam', lr: 0.05, epochs: 10 };
    },
    [{ kind: 'lossBelow', run: 1, value: 0.15 }, { kind: 'lossAbove', run: 2, value: 0.65 }, { kind: 'lossLess', run: 1, than: 0 }, { kind: 'lossLess', run: 0, than: 2 }]),

  preset('residual-sgd',
    { en: 'Residual net with SGD 0.5: post-norm survives', ja: '残差ネットワークを SGD 0.5 で：生き残るのは Post-norm' },
    {
      en: 'The same 7 residual blocks, plain SGD at learning rate 0.5, 10 epochs — and the verdict flips. In pre-norm nothing normalizes the skip path, so the residual stream grows block after block; here it blows up: pre-norm and no normalization both diverge. Post-norm renormalizes after every block and trains to below 0.2.',
      ja: '同じ残差ブロック 7 個を、素の SGD・学習率 0.5 で 10 エポック学習すると、結果は逆転します。Pre-norm ではスキップ経路を正規化するものがないため、残差の流れがブロックごとに大きくなり、ここでは発散してしまいます（正規化なしも同様に発散）。Post-norm はブロックごとに正規化し直すので、損失 0.2 未満まで学習できます。',
    },
    (c) => {
      c.model = { ...c.model, architecture: 'residual', hiddenLayers: 7, width: 64, activation: 'relu' };
      c.runs = [run('No norm', 'none'), run('Pre-norm (LN)', 'layernorm', 'before'), run('Post-norm (LN)', 'layernorm', 'after')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.5, epochs: 10 };
    },
    [{ kind: 'stops', run: 0, message: 'diverged' }, { kind: 'stops', run: 1, message: 'diverged' }, { kind: 'lossBelow', run: 2, value: 0.2 }]),
);

// The outliers preset's points: `moons` points along the two moons (make_moons' arcs, alternating classes) with a
// small deterministic jitter (mulberry32: the same points in every browser), then `outliers` points on a circle
// of radius `distance` around the moons' centre, classes alternating. Every coordinate is on the link's grid,
// so the preset travels in a link.
export function moonsWithOutliers(moons = 300, outliers = 8, distance = 40): OwnPoints {
  let state = 20240611;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const jitter = () => 0.2 * (uniform() + uniform() + uniform() - 1.5); // about ±0.1 (sd 0.1)
  const x: number[] = [], y: number[] = [];
  const half = moons / 2;
  for (let i = 0; i < moons; i++) {
    const label = i % 2, t = (Math.PI * Math.floor(i / 2)) / (half - 1);
    const [a, b] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x.push(snapToLinkGrid(a + jitter()), snapToLinkGrid(b + jitter()));
    y.push(label);
  }
  for (let k = 0; k < outliers; k++) {
    const angle = (2 * Math.PI * k) / outliers + 0.3;
    x.push(snapToLinkGrid(0.5 + distance * Math.cos(angle)), snapToLinkGrid(0.25 + distance * Math.sin(angle)));
    y.push(k % 2);
  }
  return { x, y };
}

PRESETS.push(
  preset('outliers',
    { en: 'Outliers: they skew BatchNorm’s statistics, not LayerNorm’s', ja: '外れ値：BatchNorm の統計は引きずられ、LayerNorm は動じない' },
    {
      en: 'Your own points: 300 along two moons and 8 outliers about 40 away (classes alternating); Adam 0.01, batch 32, 30 epochs. Many batches hold an outlier, whose huge values dominate the batch’s mean and variance: after BatchNorm the batch’s other points are squeezed into a narrow range. BatchNorm’s training loss stays above 0.15, the running variance of its first BatchNorm layer ends over 20 times what it is without the outliers, and in eval mode, which uses those running statistics, its test accuracy stays below 85 %. LayerNorm normalizes each point on its own, so an outlier changes only its own statistics: loss below 0.01, test accuracy above 95 %. Without normalization the loss also ends below 0.05. Remove the outliers and BatchNorm trains as well as the others.',
      ja: '自分で描いた点のプリセットです。2 つの三日月に沿った 300 点に、そこから 40 ほど離れた外れ値 8 点（クラスは交互）を加え、Adam 0.01、バッチサイズ 32 で 30 エポック学習します。外れ値を含むバッチは多く、その巨大な値がバッチの平均と分散を支配するため、BatchNorm を通すと同じバッチのほかの点は狭い範囲に押し込められてしまいます。BatchNorm の学習損失は 0.15 を超えたままで、1 つ目の BatchNorm 層の移動分散は外れ値がない場合の 20 倍を超え、その移動統計を使う評価モードでのテスト正解率は 85 % 未満にとどまります。LayerNorm は点ごとに正規化するので、外れ値が変えるのはその点自身の統計だけです。損失は 0.01 未満、テスト正解率は 95 % を超えます。正規化なしでも損失は 0.05 未満まで下がります。外れ値を取り除けば、BatchNorm もほかと同じように学習できます。',
    },
    (c) => {
      c.data = withOwnPoints({ ...c, data: { ...c.data, type: 'custom' } }, moonsWithOutliers()).data;
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, batchSize: 32, epochs: 30 };
    },
    [{ kind: 'lossAbove', run: 1, value: 0.15 }, { kind: 'testAccuracyBelow', run: 1, value: 0.85 },
      { kind: 'lossBelow', run: 2, value: 0.01 }, { kind: 'testAccuracyAbove', run: 2, value: 0.95 }, { kind: 'lossBelow', run: 0, value: 0.05 }]),
);

// Why normalization helps (issue #15): a bad initialization that normalization forgives.
PRESETS.push(
  preset('bad-init',
    { en: 'Bad initialization: normalization forgives it', ja: '悪い初期化：正規化があれば許される' },
    {
      en: '4 hidden ReLU layers of 64, plain SGD 0.1, 20 epochs, every linear layer initialized at 0.1 × PyTorch’s default (Init scale 0.1). Each layer shrinks the signal about tenfold, so without normalization the output and its gradients all but vanish: the loss stays at chance (above 0.65; ln 2 ≈ 0.69). BatchNorm and LayerNorm rescale every layer’s output whatever the weights’ scale, and both train to below 0.2. Set Init scale back to 1 and the plain network trains as well (below 0.15): the initialization, not the task, was the problem.',
      ja: 'ReLU の隠れ層 64 ユニット × 4 層、素の SGD（学習率 0.1）、20 エポック。全結合層をすべて PyTorch の既定の初期値の 0.1 倍で初期化します（初期化の倍率 0.1）。層を通るたびに信号がおよそ 10 分の 1 に縮むため、正規化なしでは出力も勾配もほぼ消え、損失は当てずっぽうの水準（0.65 超、ln 2 ≈ 0.69）から下がりません。BatchNorm と LayerNorm は重みの大きさに関係なく各層の出力の尺度をそろえ直すので、どちらも 0.2 未満まで学習します。初期化の倍率を 1 に戻せば正規化なしでも 0.15 未満まで学習できます。問題は課題ではなく初期化だったのです。',
    },
    (c) => {
      c.model = { ...c.model, hiddenLayers: 4, width: 64, activation: 'relu', initScale: 0.1 };
      c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, optimizer: 'sgd', lr: 0.1, epochs: 20 };
    },
    [{ kind: 'lossAbove', run: 0, value: 0.65 }, { kind: 'lossBelow', run: 1, value: 0.2 }, { kind: 'lossBelow', run: 2, value: 0.2 }]),
);

// Why normalization helps (issue #15): the Scale invariance and Loss landscape lessons' presets.
PRESETS.push(
  {
    ...preset('weight-decay',
      { en: 'Weight decay raises a normalized layer’s learning rate', ja: '重み減衰が正規化層の実効学習率を上げる' },
      {
        en: 'The lesson’s net with plain SGD 0.1 and weight decay 0.02, 30 epochs; open Scale invariance below. A linear layer followed by BatchNorm can be scaled without changing the output, so weight decay shrinks its weights freely — and its gradient grows as they shrink: the effective learning rate lr/‖W‖² of both hidden layers of the BatchNorm run ends more than 10 times where it started, for every seed. Without normalization the fit holds the weights up: the same layers’ effective rate rises less than 6 times. The output layer, which no normalization follows, is different: its weights grow to fit the data, and in both runs its effective rate ends below half its start. The decay does not cost BatchNorm its fit — its training loss ends lower than the plain net’s, for every seed. Set weight decay to 0 and BatchNorm’s effective rate stays within 10 % of its start.',
        ja: '講義のネットワークを素の SGD（学習率 0.1）、重み減衰 0.02 で 30 エポック学習します。下の「スケール不変性」を開いてください。BatchNorm が後に続く線形層は、重みを何倍しても出力が変わらないため、重み減衰は重みを遠慮なく縮めます。そして重みが縮むほど勾配は大きくなります。BatchNorm の実行では、2 つの隠れ層の実効学習率 lr/‖W‖² が、どのシードでも最初の 10 倍を超えて終わります。正規化なしでは、データへの当てはまりが重みを支えるため、同じ層の実効学習率の上昇は 6 倍未満にとどまります。後ろに正規化のない出力層は事情が異なり、データに合わせて重みが大きくなるため、どちらの実行でも実効学習率は最初の半分未満で終わります。重み減衰は BatchNorm の学習を妨げず、学習損失はどのシードでも正規化なしより低く終わります。重み減衰を 0 にすると、BatchNorm の実効学習率は最初の値から 10 % 以内にとどまります。',
      },
      (c) => {
        c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm')];
        c.training = { ...c.training, optimizer: 'sgd', lr: 0.1, weightDecay: 0.02, epochs: 30 };
      },
      [{ kind: 'effectiveLrRises', run: 1, linear: 0, factor: 10 }, { kind: 'effectiveLrRises', run: 1, linear: 1, factor: 10 },
        { kind: 'effectiveLrRiseBelow', run: 0, linear: 0, factor: 6 }, { kind: 'effectiveLrRiseBelow', run: 0, linear: 1, factor: 6 },
        { kind: 'effectiveLrRiseBelow', run: 0, linear: 2, factor: 0.5 }, { kind: 'effectiveLrRiseBelow', run: 1, linear: 2, factor: 0.5 },
        { kind: 'lossLess', run: 1, than: 0 }]),
    section: 'scale',
  },
  {
    ...preset('landscape',
      { en: 'The loss landscape: BatchNorm smooths it (Santurkar et al.)', ja: '損失地形：BatchNorm で滑らかになる（Santurkar ら）' },
      {
        en: '4 hidden ReLU layers × 64, plain SGD at learning rate 1, 10 epochs: a rate the plain net survives, but jumpily — the regime of Santurkar et al. (2018). Open Loss landscape below and press Play: every 24 steps the loss is measured along the gradient, a short way ahead. For every seed, BatchNorm’s band of losses there is narrower on average than the plain net’s, and its gradient changes less than a third as much: its gradient stays more predictive. A smoother landscape is not a lower loss, though: here their training losses end within 0.03 of each other.',
        ja: 'ReLU の隠れ層 4 層 × 64 を、素の SGD・学習率 1 で 10 エポック学習します。正規化なしでも学習はできるものの、損失が跳ねる学習率で、Santurkar ら（2018）の設定です。下の「損失地形」を開いて再生してください。24 ステップごとに、勾配の方向へ少し進んだ先の損失を測ります。どのシードでも、BatchNorm の損失の幅は平均して正規化なしより狭く、勾配の変化は 3 分の 1 未満です。つまり、勾配がその先でも当てになる（予測性が高い）のです。ただし、地形が滑らかだからといって損失が低くなるとは限りません。ここでは最終的な学習損失の差は 0.03 以内です。',
      },
      (c) => {
        c.model = { ...c.model, hiddenLayers: 4, width: 64, activation: 'relu' };
        c.runs = [run('No norm', 'none'), run('BatchNorm', 'batchnorm')];
        c.training = { ...c.training, optimizer: 'sgd', lr: 1, epochs: 10 };
      },
      // "narrower": measured 4.1 to 4.5 times, but a mean of 10 measurements moves with the steps sampled (every 20 steps: 1.6 to 4.7)
      [{ kind: 'bandLess', run: 1, than: 0, factor: 1.25 }, { kind: 'gradDiffLess', run: 1, than: 0, factor: 3 }, { kind: 'lossClose', run: 1, to: 0, within: 0.03 }]),
    section: 'landscape',
  },
);

// Batch composition (the Batches setting).
PRESETS.push(
  preset('sorted-batches',
    { en: 'Batches sorted by class: BatchNorm’s train and eval modes part, LayerNorm’s do not', ja: 'クラス順のバッチ：BatchNorm は学習モードと評価モードが食い違い、LayerNorm は食い違わない' },
    {
      en: 'Batches sorted by class (Training → Batches): every batch holds one class, but the one where the classes meet. Adam 0.01, 20 epochs. In training mode BatchNorm normalizes each batch with that batch’s own mean and variance — one class’s — and its running statistics average those single-class batches, which no real input looks like. Compare the two modes on the training points: BatchNorm’s train-mode accuracy (each point with its own batch) and its eval-mode accuracy (running statistics) end more than 20 points apart, and in eval mode its test accuracy stays below 80 %. LayerNorm never looks at the batch: its two modes agree exactly, and its test accuracy is above 93 %. The Batch-mates lesson shows one point’s prediction as its batch changes. Set Batches back to shuffled and BatchNorm’s modes agree within 3 points again.',
      ja: 'クラス順に並べたバッチ（「学習」→「バッチの作り方」）で学習します。どのバッチも 1 クラスだけで、例外は 2 つのクラスの境目にあたるバッチ 1 つだけです。Adam 0.01、20 エポック。学習モードの BatchNorm は各バッチをそのバッチ自身の平均と分散、つまり 1 クラスだけの統計量で正規化します。移動統計量はその 1 クラスだけのバッチの統計を平均したもので、実際の入力とは似ても似つきません。学習データで 2 つのモードを比べてください。BatchNorm の学習モードでの正解率（各点を自分のバッチで正規化）と評価モードでの正解率（移動統計量）は 20 ポイント以上離れ、評価モードでのテスト正解率は 80 % 未満にとどまります。LayerNorm はバッチを見ないので、2 つのモードは完全に一致し、テスト正解率は 93 % を超えます。講義の「バッチの仲間」では、1 つの点の予測がバッチによってどう変わるかを見られます。「バッチの作り方」をシャッフルに戻すと、BatchNorm の 2 つのモードの差は再び 3 ポイント以内に収まります。',
    },
    (c) => {
      c.runs = [run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')];
      c.training = { ...c.training, epochs: 20, sampler: 'sorted' };
    },
    [{ kind: 'trainEvalGapAbove', run: 0, value: 0.2 }, { kind: 'testAccuracyBelow', run: 0, value: 0.8 },
      { kind: 'trainEvalGapBelow', run: 1, value: 1e-9 }, { kind: 'testAccuracyAbove', run: 1, value: 0.93 }]),
);

export function findPreset(id: string | null): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

// The preset whose settings these are (the same values, whatever their order), or null.
export function matchPreset(c: LabConfig): string | null {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
        : v;
  const key = JSON.stringify(canonical(c));
  return PRESETS.find((p) => JSON.stringify(canonical(p.config)) === key)?.id ?? null;
}
