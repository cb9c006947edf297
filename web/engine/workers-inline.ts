// The two workers inlined into the page (blob: URLs), for the single self-contained HTML file that works from
// file:// (npm run build:single; vite.single.config.ts aliases @workers to this file).
import Trainer from './worker.ts?worker&inline';
import Lessons from '../lessons/lessons-worker.ts?worker&inline';

export function trainerWorker(): Worker {
  return new Trainer();
}

export function lessonsWorker(): Worker {
  return new Lessons();
}
