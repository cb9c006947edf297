// The lessons' own worker, beside the trainer: it owns a second instance of the wasm module for the
// normalization inspector (small tensors, answered at once) and the batch-size sweep (seconds of training,
// one batch size at a time so a newer request cancels an older one). The lab's runs are never touched.
import { messageOf, serveWithModule } from '../engine/workerhost';
import type { InspectSpec, NormlabModule } from '../engine/normlab';
import type { LessonsRequest, LessonsReply } from './protocol';
import { sweepPoint } from './sweep';

let M: NormlabModule;
let sweepId = 0; // the sweep in progress; a new request (or 'cancel') bumps it and the old one stops
const post = (msg: LessonsReply) => (self as unknown as Worker).postMessage(msg);

// The inspector takes JSON, like every other entry point of the engine; typed arrays go in as plain arrays
// (each float32 as the double it is, so it reads back exactly).
const inspectJson = (spec: InspectSpec) => JSON.stringify(spec, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));

function handle(msg: LessonsRequest) {
  switch (msg.type) {
    case 'inspect':
      try {
        post({ type: 'inspect', id: msg.id, result: M.inspectNorm(inspectJson(msg.spec)) });
      } catch (e) {
        post({ type: 'inspect', id: msg.id, error: messageOf(e) });
      }
      break;
    case 'randn':
      try {
        post({ type: 'randn', id: msg.id, values: M.randn(msg.seed, msg.n) });
      } catch (e) {
        post({ type: 'randn', id: msg.id, error: messageOf(e) });
      }
      break;
    case 'sweep': {
      const id = (sweepId = msg.id);
      const batches = [...msg.batches];
      const next = () => {
        if (sweepId !== id) return; // superseded
        const batch = batches.shift();
        if (batch === undefined) { post({ type: 'sweep-done', id }); return; }
        try {
          post({ type: 'sweep-point', id, point: sweepPoint(() => new M.Lab(), msg.config, batch, msg.epochs) });
        } catch (e) {
          post({ type: 'sweep-error', id, message: messageOf(e) });
          return;
        }
        setTimeout(next, 0); // lets a cancel in
      };
      next();
      break;
    }
    case 'cancel':
      sweepId = -1;
      break;
  }
}

serveWithModule<LessonsRequest>((module) => { M = module; }, handle, (message) => post({ type: 'fatal', message }));
