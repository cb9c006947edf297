// The engine's and the page's error messages in the page's language. Messages are made in English (they name
// the field, as the engine's API documents); in Japanese the common forms are rewritten, keeping the field
// name and the values, and PyTorch's own wording is kept beside its translation. Unknown forms stay English.
import type { Lang } from './index';

type Rule = [RegExp, (...groups: string[]) => string];

const JA: Rule[] = [
  [/^(.+?): must be an integer in \[([^,]+), ([^\]]+)\], got (.+)$/, (f, lo, hi, v) => `${f}：${lo} 以上 ${hi} 以下の整数を指定してください（入力：${v}）`],
  [/^(.+?): must be a number in \[([^,]+), ([^\]]+)\], got (.+)$/, (f, lo, hi, v) => `${f}：${lo} 以上 ${hi} 以下の数を指定してください（入力：${v}）`],
  [/^(.+?): must be in ([[(])([^,]+), ([^\])]+)([\])]), got (.+)$/, (f, open, lo, hi, close, v) =>
    `${f}：${lo} ${open === '[' ? '以上' : 'より大きく'} ${hi === 'inf' ? '' : `${hi} ${close === ']' ? '以下' : '未満'}の`}値を指定してください（入力：${v}）`],
  [/^(.+?): must be a finite number ≥ 0, got (.+)$/, (f, v) => `${f}：0 以上の有限の数を指定してください（入力：${v}）`],
  [/^(.+?): must be a finite number ≥ 0$/, (f) => `${f}：0 以上の有限の数を指定してください`],
  [/^(.+?): must be finite, got (.+)$/, (f, v) => `${f}：有限の数を指定してください（入力：${v}）`],
  [/^(.+?): must be a number, got (.+)$/, (f, v) => `${f}：数を指定してください（入力：${v}）`],
  [/^(.+?): must be an integer, got (.+)$/, (f, v) => `${f}：整数を指定してください（入力：${v}）`],
  [/^(.+?): must be a positive integer, got (.+)$/, (f, v) => `${f}：正の整数を指定してください（入力：${v}）`],
  [/^(.+?): must not be empty$/, (f) => `${f}：空にはできません`],
  [/^(.+?): (\d+) (?:features|channels) cannot be split into (\d+) groups$/, (f, c, g) => `${f}：${c} 個の特徴量（チャネル）は ${g} グループに等分できません`],
  [/^batchnorm: (expected more than 1 value per channel when training, got input size .+)$/, (m) =>
    `batchnorm：学習モードでは各チャネルに 2 つ以上の値が必要です（PyTorch と同じエラー：${m}）`],
  [/^instancenorm: (expected more than 1 spatial element when training, got input size \[[^\]]*\])/, (m) =>
    `instancenorm：各チャネルに 2 つ以上の空間要素が必要です。InstanceNorm には (N, C, H, W) の形状を選んでください（PyTorch と同じエラー：${m}）`],
  [/^batchnorm: no training batch yet/, () => 'batchnorm：まだ学習バッチがありません（1 ステップ進めてください）'],
  [/^diverged: the loss is (NaN|infinite); parameters were not updated$/, (what) => `発散：損失が ${what === 'NaN' ? 'NaN' : '無限大'} になりました。パラメータは更新していません`],
  [/^diverged: a gradient is not finite; parameters were not updated$/, () => '発散：勾配が有限の値でなくなりました。パラメータは更新していません'],
  [/^diverged: its outputs are not finite, so no boundary is drawn$/, () => '発散：出力が有限の値でないため、決定境界は描画しません'],
  [/^hidden layers: a residual model has at most (\d+) blocks \(2 linear layers each\), got (\d+)$/, (n, v) =>
    `hidden layers：残差モデルのブロックは最大 ${n} 個です（1 ブロックに全結合層 2 つ。入力：${v}）`],
  [/^the lessons worker stopped: (.*)$/, (why) => `講義用のワーカーが停止しました（${why}）`],
  [/^run: run (\d+) has stopped \((.*)\)$/, (n, why) => `run：モデル ${n} は停止しています（${localizeError(why, 'ja')}）`],
  [/^runs: between (\d+) and (\d+)$/, (a, b) => `runs：${a} 個以上 ${b} 個以下にしてください`],
  [/^(y\[\d+\]): must be 0 or 1, got (.+)$/, (f, v) => `${f}：ラベルは 0 か 1 にしてください（入力：${v}）`],
  [/^(.+?): must be a finite number, got (.+)$/, (f, v) => `${f}：有限の数を指定してください（入力：${v}）`],
  [/^y: has (\d+) labels; at least (\d+) points are needed$/, (n, min) => `y：ラベルが ${n} 個しかありません。点は ${min} 個以上必要です`],
  [/^y: has (\d+) labels, more than the limit of (\d+) points$/, (n, max) => `y：ラベルが ${n} 個あり、上限の ${max} 点を超えています`],
  [/^x: has (\d+) numbers; the (\d+) labels in y need (\d+) \(x0, y0, x1, y1, …\)$/, (got, n, need) =>
    `x：数が ${got} 個あります。y のラベル ${n} 個には ${need} 個（x0, y0, x1, y1, …）必要です`],
  [/^noise: must be 0 or absent for points of your own \(they are used exactly as given\), got (.+)$/, (v) =>
    `noise：自分で描いた点はそのまま使うので、ノイズは 0 にするか省いてください（入力：${v}）`],
  [/^points: must equal the number of points given \((\d+)\), got (.+)$/, (n, v) => `points：与えた点の数（${n}）と同じにしてください（入力：${v}）`],
  [/^points: add at least (\d+) points \(has (\d+)\)$/, (min, n) => `points：点を ${min} 個以上追加してください（現在 ${n} 個）`],
  [/^points: at most (\d+) points of your own \(has (\d+)\)$/, (max, n) => `points：自分で描いた点は ${max} 個までです（現在 ${n} 個）`],
  [/^line (\d+), column (\d+): (.*)$/s, (line, column, why) => `${line} 行目 ${column} 列目：${csvReason(why)}`],
  [/^(x\[[^\]]+\]|gamma\[\d+\]|beta\[\d+\]): “(.*)” is not a number$/, (f, v) => `${f}：「${v}」は数ではありません`],
  [/^(x\[[^\]]+\]|gamma\[\d+\]|beta\[\d+\]): not a number$/, (f) => `${f}：数ではありません`],
];

// The reasons of a CSV of points (state/csv.ts), after "line 7, column 3: ".
const subject = (what: string) => (what === 'the label' ? 'ラベルが' : `${what} が`);
const CSV: Rule[] = [
  [/^the label must be 0 or 1, got (.*)$/s, (v) => `ラベルは 0 か 1 にしてください（入力：${v}）`],
  [/^(x1|x2|the label) is not a number: (.*)$/s, (what, v) => `${subject(what)}数ではありません（入力：${v}）`],
  [/^(x1|x2|the label) is empty$/, (what) => `${subject(what)}空です`],
  [/^missing (x1|x2|the label) \(expected x1,x2,label\)$/, (what) => `${subject(what)}ありません（各行は x1,x2,label の形で書きます）`],
  [/^a value too many: (.*) \(expected x1,x2,label\)$/s, (v) => `値が多すぎます（${v}。各行は x1,x2,label の形で書きます）`],
  [/^(x1|x2) must be in \[([^,]+), ([^\]]+)\], got (.*)$/s, (what, lo, hi, v) => `${what} は ${lo} 以上 ${hi} 以下にしてください（入力：${v}）`],
  [/^more than (\d+) points, the limit$/, (max) => `点が上限の ${max} 個を超えています`],
  [/^no points \(expected rows x1,x2,label\)$/, () => '点がありません（x1,x2,label の形の行が必要です）'],
];
function csvReason(why: string): string {
  for (const [re, make] of CSV) {
    const m = re.exec(why);
    if (m) return make(...m.slice(1));
  }
  return why;
}

export function localizeError(message: string, lang: Lang): string {
  if (lang !== 'ja') return message;
  for (const [re, make] of JA) {
    const m = re.exec(message);
    if (m) return make(...m.slice(1));
  }
  return message;
}
