// The start of both workers: load the wasm module, hold the messages that arrive meanwhile, then hand each
// to `handle` in order. A module that cannot load is reported as `fatal`. And what both report of an error.
import createNormlab from '@normlab';
import type { NormlabModule } from './normlab';

// An error's message, whatever was thrown.
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function serveWithModule<T>(ready: (M: NormlabModule) => void, handle: (msg: T) => void, fatal: (message: string) => void) {
  let loaded = false;
  const queue: T[] = [];
  self.onmessage = (e: MessageEvent<T>) => {
    if (loaded) handle(e.data);
    else queue.push(e.data);
  };
  createNormlab().then((module) => {
    ready(module as unknown as NormlabModule);
    loaded = true;
    for (const msg of queue.splice(0)) handle(msg);
  }).catch((e: unknown) => fatal(`the WebAssembly module failed to load: ${messageOf(e)}`));
}
