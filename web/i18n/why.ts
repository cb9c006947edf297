// The "Why it helps" lesson's text (web/lessons/why.ts), in English and Japanese: from internal covariate
// shift to smoothness, scale invariance, initialization and the batch, each theory as a formula with the
// preset that tests it on this lab. Formulas are TeX (KaTeX); citations in full at the end.
import type { Lang } from './index';

export interface WhyPart {
  title: string;
  text: string;      // the paragraph before the formula
  formula: string;   // TeX
  after?: string;    // a paragraph after the formula
}

export interface WhyStrings {
  intro: string;
  parts: Record<WhyPartId, WhyPart>;
  open: (what: string) => string;     // a preset button: "Open the preset: …"
  openTab: (what: string) => string;  // a lesson tab button: "Open the tab: …"
  sources: string;
  takeaway: string;
}

export type WhyPartId = 'shift' | 'smooth' | 'scale' | 'init' | 'batch';

const REFERENCES = [
  'S. Ioffe, C. Szegedy. Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift. ICML 2015.',
  'S. Santurkar, D. Tsipras, A. Ilyas, A. Mądry. How Does Batch Normalization Help Optimization? NeurIPS 2018.',
  'T. van Laarhoven. L2 Regularization versus Batch and Weight Normalization. arXiv:1706.05350, 2017.',
  'S. Arora, Z. Li, K. Lyu. Theoretical Analysis of Auto Rate-Tuning by Batch Normalization. ICLR 2019.',
  'J. L. Ba, J. R. Kiros, G. E. Hinton. Layer Normalization. arXiv:1607.06450, 2016.',
  'Y. Wu, K. He. Group Normalization. ECCV 2018.',
];
export const WHY_REFERENCES = REFERENCES;

const F = {
  shift: String.raw`\hat x_i = \frac{x_i - \mu_\mathcal{B}}{\sqrt{\sigma_\mathcal{B}^2 + \epsilon}}, \qquad y_i = \gamma\,\hat x_i + \beta, \qquad \mu_\mathcal{B} = \frac1m\sum_{j\in\mathcal{B}} x_j,\;\; \sigma_\mathcal{B}^2 = \frac1m\sum_{j\in\mathcal{B}} (x_j-\mu_\mathcal{B})^2`,
  smooth: String.raw`\|\nabla L(\theta) - \nabla L(\theta')\| \le \beta\,\|\theta - \theta'\| \qquad \text{measured along } g = \nabla L(\theta):\;\; \max_{k} \frac{\|\nabla L(\theta) - \nabla L(\theta - \eta_k g)\|}{\|\eta_k g\|},\;\; \eta_k = 0.1\,k\cdot\mathrm{lr},\ k = 1\ldots 4`,
  scale: String.raw`\mathrm{BN}\big((\alpha W)x\big) = \mathrm{BN}(Wx) \;(\alpha > 0,\ \epsilon \to 0), \qquad \nabla_{\alpha W} L = \tfrac{1}{\alpha}\,\nabla_W L, \qquad \eta_\text{eff} = \frac{\eta}{\|W\|^2}`,
  init: String.raw`\mathrm{Norm}\big(s\,(Wx + b)\big) = \mathrm{Norm}(Wx + b) \quad (s > 0,\ \epsilon \to 0) \qquad \text{Init scale } s:\;\; W, b \leftarrow s \cdot \mathcal{U}\!\left(-\tfrac{1}{\sqrt{n_\text{in}}}, \tfrac{1}{\sqrt{n_\text{in}}}\right)`,
  batch: String.raw`\frac{\partial y_i}{\partial x_j} \ne 0 \;\; (j \ne i,\ j \in \mathcal{B}) \qquad \text{train: } \mu_\mathcal{B}, \sigma^2_\mathcal{B} \qquad \text{eval: } \hat\mu \leftarrow (1-m)\,\hat\mu + m\,\mu_\mathcal{B},\;\; \hat\sigma^2 \leftarrow (1-m)\,\hat\sigma^2 + m\,\tfrac{|\mathcal{B}|}{|\mathcal{B}|-1}\sigma^2_\mathcal{B}`,
};

export const WHY_EN: WhyStrings = {
  intro: 'The lesson explains BatchNorm by internal covariate shift and expects it to speed training up. Since 2015 the field has put that explanation to the test and found others that fit the evidence better. Each part below states one idea as a formula and opens a preset that tests it on this lab — every preset’s claims are checked by a test over three seeds, so what you see is what holds.',
  parts: {
    shift: {
      title: '1 · Internal covariate shift (Ioffe & Szegedy, 2015)',
      text: 'As the earlier layers learn, the distribution of every later layer’s input keeps moving, and each layer chases a moving target. BatchNorm fixes the first two moments of each feature over the batch:',
      formula: F.shift,
      after: 'The lab shows both the shift and its removal: in Inside the network, the drift bands of a run without normalization wander while BatchNorm’s stay put, and in a deep sigmoid net only BatchNorm trains. But Santurkar et al. added random noise after every BatchNorm layer — re-creating a shift larger than the one it removed — and the network still trained as fast: removing the shift is not what makes BatchNorm work.',
    },
    smooth: {
      title: '2 · A smoother loss landscape (Santurkar et al., 2018)',
      text: 'Their answer: BatchNorm makes the loss and its gradient change more gently, so a step along the gradient lands where the gradient still points the right way and larger learning rates become safe. Measured at a training step along the gradient direction, as in their figures:',
      formula: F.smooth,
      after: 'In the paper’s regime — a ReLU network that trains but jumps under plain SGD with a high learning rate — BatchNorm’s loss band is narrower and its gradients are more predictive, for every seed. Honestly: in a deep sigmoid net the plain network sits on a flat plateau whose landscape is even smoother — smooth and useless. Smoothness helps where there is somewhere to go.',
    },
    scale: {
      title: '3 · Scale invariance and the effective learning rate (van Laarhoven, 2017; Arora, Li & Lyu, 2019)',
      text: 'A normalized layer ignores the scale of the weights in front of it. Its gradient then shrinks as the weights grow, so what a step does depends on the ratio of the learning rate to the squared weight norm:',
      formula: F.scale,
      after: 'Two consequences you can test: Scale weights multiplies a layer by α mid-run — with BatchNorm next, the loss does not move (up to ε and float rounding); without it, it does. And weight decay, which shrinks ‖W‖ and cannot change such a layer’s output, acts as a rising effective learning rate rather than as regularization.',
    },
    init: {
      title: '4 · Forgiving a bad initialization',
      text: 'The same invariance makes a normalized network indifferent to the scale it starts at: whatever the weights do to the size of the signal, the next normalization undoes it.',
      formula: F.init,
      after: 'With every linear layer at a tenth of PyTorch’s default, a plain four-layer ReLU net under SGD never leaves chance — the signal shrinks tenfold per layer — while BatchNorm and LayerNorm train as if nothing happened. Here LayerNorm helps as much as BatchNorm: this is about scale, not batches.',
    },
    batch: {
      title: '5 · The batch is part of the model',
      text: 'In train mode BatchNorm’s output for one example depends on every other example in its batch, and in eval mode on running averages of past batches instead:',
      formula: F.batch,
      after: 'So BatchNorm is only as good as its batches are representative. Batches of two make its statistics noise; a batch of one is refused; a few outliers skew them; batches sorted by class give train mode statistics eval mode never sees. LayerNorm, RMSNorm and GroupNorm normalize each example on its own and have none of these problems — which is why Transformers use them.',
    },
  },
  open: (what) => `Open the preset: ${what}`,
  openTab: (what) => `Open the tab: ${what}`,
  sources: 'Sources',
  takeaway: 'No single story explains normalization. It re-centres and re-scales what each layer sees, which removes the dependence on the weights’ scale (initialization, effective learning rate) and, in the right regime, smooths the landscape; BatchNorm adds a dependence on the batch that LayerNorm avoids. Which of these matters depends on the network, the optimizer and the data — the presets show where each one does, and where it does not.',
};

export const WHY_JA: WhyStrings = {
  intro: '講義は BatchNorm の効果を「内部共変量シフト」で説明し、学習が速くなると予想しています。2015 年以降、この説明は検証され、データによりよく合う別の説明が見つかってきました。以下の各項は 1 つの考え方を式で示し、それをこのラボで確かめるプリセットを開きます。プリセットの主張はすべて 3 つのシードでテストされているので、画面に見えることはそのまま成り立ちます。',
  parts: {
    shift: {
      title: '1 · 内部共変量シフト（Ioffe & Szegedy, 2015）',
      text: '前の層が学習するにつれて後ろの層への入力の分布は動き続け、各層は動く的を追いかけることになる、という説明です。BatchNorm は各特徴の 1 次と 2 次のモーメントをバッチ上で固定します：',
      formula: F.shift,
      after: 'ラボではシフトとその除去の両方が見えます。「ネットワークの中」の推移の帯は、正規化なしのモデルでは漂い、BatchNorm では動きません。深いシグモイド網では BatchNorm だけが学習できます。しかし Santurkar らは、各 BatchNorm 層の後にランダムなノイズを加えて取り除いた以上のシフトを作り直しても、ネットワークが同じ速さで学習することを示しました。シフトを取り除くことが BatchNorm の効く理由ではないのです。',
    },
    smooth: {
      title: '2 · なめらかな損失地形（Santurkar ら, 2018）',
      text: '彼らの答えは、BatchNorm によって損失とその勾配の変化が穏やかになり、勾配方向に一歩進んだ先でも勾配がまだ正しい向きを指すので、大きな学習率でも安全になる、というものです。論文の図と同じく、学習の途中で勾配方向に沿って測ります：',
      formula: F.smooth,
      after: '論文と同じ条件、つまり素の SGD と大きな学習率で、学習は進むが跳ね回る ReLU ネットワークでは、どのシードでも BatchNorm の損失の帯は狭く、勾配の予測性は高くなります。正直に言えば、深いシグモイド網では正規化なしのモデルは平らな台地に留まっていて、その地形はもっとなめらかです。なめらかでも役に立ちません。なめらかさが効くのは、進む先があるときです。',
    },
    scale: {
      title: '3 · スケール不変性と実効学習率（van Laarhoven, 2017; Arora, Li & Lyu, 2019）',
      text: '正規化層は、その前の重みの大きさを無視します。すると重みが大きくなるほど勾配は小さくなり、1 ステップの効果は学習率と重みのノルムの 2 乗の比で決まります：',
      formula: F.scale,
      after: '確かめられる帰結が 2 つあります。「重みを α 倍する」で学習の途中にある層を α 倍すると、直後に BatchNorm があれば損失は動きません（ε と浮動小数点の丸めの範囲で）。なければ動きます。そして重み減衰は ‖W‖ を縮めますが、そのような層の出力は変えられないので、正則化としてではなく、上がっていく実効学習率として働きます。',
    },
    init: {
      title: '4 · 悪い初期化を許す',
      text: '同じ不変性によって、正規化したネットワークは初期の重みの大きさを気にしなくなります。重みが信号の大きさをどう変えても、次の正規化がそれを元に戻すからです。',
      formula: F.init,
      after: 'すべての全結合層を PyTorch の既定の 10 分の 1 で初期化すると、4 層の ReLU ネットワークは素の SGD では当てずっぽうの水準から抜け出せません。層ごとに信号が 10 分の 1 に縮むからです。一方 BatchNorm と LayerNorm は何事もなかったように学習します。ここでは LayerNorm も BatchNorm と同じだけ効きます。これはバッチではなく尺度の話なのです。',
    },
    batch: {
      title: '5 · バッチもモデルの一部',
      text: '学習モードの BatchNorm では、ある例の出力がバッチ内のほかのすべての例に依存し、評価モードでは代わりに過去のバッチの移動平均に依存します：',
      formula: F.batch,
      after: 'つまり BatchNorm の良さはバッチの代表性しだいです。バッチサイズ 2 では統計はほとんどノイズになり、バッチサイズ 1 は拒否され、少数の外れ値が統計を歪め、クラスごとに並べたバッチでは評価モードが決して見ない統計で学習することになります。LayerNorm、RMSNorm、GroupNorm は各例をそれだけで正規化するので、こうした問題がありません。Transformer がこれらを使う理由です。',
    },
  },
  open: (what) => `プリセットを開く：${what}`,
  openTab: (what) => `タブを開く：${what}`,
  sources: '出典',
  takeaway: '正規化を 1 つの物語で説明することはできません。正規化は各層が見る値の中心と尺度をそろえ直し、それによって重みの大きさへの依存（初期化、実効学習率）をなくし、条件がそろえば損失地形をなめらかにします。BatchNorm はさらにバッチへの依存を持ち込み、LayerNorm はそれを避けます。どれが効くかはネットワーク、最適化手法、データしだいです。プリセットは、それぞれが効く場面と効かない場面を見せてくれます。',
};

export const whyStrings = (lang: Lang): WhyStrings => (lang === 'ja' ? WHY_JA : WHY_EN);
