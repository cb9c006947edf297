// The two workers, as separate files beside the page (the normal build). The single-file build
// (npm run build:single) swaps this module for workers-inline.ts, which carries them inside the page.
export function trainerWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}

export function lessonsWorker(): Worker {
  return new Worker(new URL('../lessons/lessons-worker.ts', import.meta.url), { type: 'module' });
}
