// The lesson's experiment, headless: an MLP with and without BatchNorm on two moons, same data, same
// initial weights, same batches; prints the mean training loss per epoch.
//   npm run build && node examples/train-moons.mjs [--epochs 50]
import { createLab } from 'normlab';

const epochs = Number(process.argv[process.argv.indexOf('--epochs') + 1]) || 50;
const mlp = (norm) => ({
  input: 2,
  layers: [
    { type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' },
    { type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' },
    { type: 'linear', out: 2 },
  ],
});

const lab = await createLab({
  data: { type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0.2 },
  runs: [
    { name: 'No norm', model: mlp(null), optimizer: { type: 'adam', lr: 0.01 } },
    { name: 'BatchNorm', model: mlp('batchnorm'), optimizer: { type: 'adam', lr: 0.01 } },
  ],
  batchSize: 64,
  seed: 0,
});
for (let e = 0; e < epochs; e++) {
  const { epoch, meanLoss } = lab.trainEpoch();
  console.log(`epoch ${String(epoch).padStart(2)}  ${lab.names.map((n, r) => `${n} ${meanLoss[r].toFixed(4)}`).join('  ')}`);
}
for (const [r, name] of lab.names.entries()) {
  const { accuracy } = lab.evaluate(r);
  console.log(`${name}: test accuracy ${(100 * accuracy).toFixed(1)}%`);
}
lab.delete();
