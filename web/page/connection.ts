// The page's line to the trainer worker: it numbers every command (see engine/protocol.ts), and keeps the
// worker alive. A worker that throws (an error event) or stops answering (a heartbeat ping unanswered for
// HEARTBEAT_MS: a worker can stop without any event) is replaced by a new one, and the app is asked to bring
// it to where the old one was. A worker that never started (it cannot load here: the constructor throws, or an
// error comes before it is ready, or it reports that the wasm module cannot load) is not restarted, nor one
// that failed more than three times in a minute: that is fatal.
import type { FromWorker, ToWorker } from '../engine/protocol';

export type Command = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'seq'> : never) : never;

export interface ConnectionHost {
  receive(msg: FromWorker): void;
  restarted(why: 'died' | 'stalled'): void; // a new worker runs: bring it to where the old one was
  fatal(message?: string): void;           // no worker can run here (the worker's own reason, if it gave one)
}

const HEARTBEAT_MS = 20000; // generous: a big configuration keeps a live worker busy for seconds

export class WorkerConnection {
  ready = false;   // the worker has loaded the module and answers
  seq = 0;         // the last command's number
  private worker!: Worker;
  private busy = false; // a benchmark keeps the worker busy for seconds: no heartbeat meanwhile
  private ping = { n: 0, sentAt: 0 };
  private restarts: number[] = [];
  private heartbeat: ReturnType<typeof setInterval>;

  constructor(private make: () => Worker, private host: ConnectionHost) {
    this.start();
    // A ping every second; none while busy, nor in a hidden tab (browsers slow its timers down).
    this.heartbeat = setInterval(() => {
      if (!this.ready || this.busy || document.hidden) return;
      if (this.ping.sentAt && performance.now() - this.ping.sentAt > HEARTBEAT_MS) this.restart('stalled');
      else if (!this.ping.sentAt) {
        this.ping = { n: this.ping.n + 1, sentAt: performance.now() };
        this.send({ type: 'ping', n: this.ping.n });
      }
    }, 1000);
  }

  // A handle for tests and the curious (window.normlabDebug): makes the worker fail (an error) or stop silently,
  // to see the page recover.
  exposeDebugHandle() {
    (window as unknown as { normlabDebug: object }).normlabDebug = {
      crashWorker: () => this.send({ type: 'crash' }),
      hangWorker: () => this.send({ type: 'hang' }),
    };
  }

  // Every command gets the next number, which the worker echoes in its frames (so the page can tell frames sent
  // before its latest command); the heartbeat's ping is no command and keeps the last one's (else a frame that
  // crossed a ping — a run's last, done and no longer playing — would be taken for a stale one).
  send(msg: Command) {
    if (msg.type === 'benchmark') this.busy = true;
    this.worker.postMessage({ ...msg, seq: msg.type === 'ping' ? this.seq : ++this.seq } as ToWorker);
  }

  destroy() {
    clearInterval(this.heartbeat);
    this.worker.onerror = null;
    this.worker.terminate();
  }

  private start() {
    this.ready = false;
    this.busy = false;
    this.ping = { n: this.ping.n, sentAt: 0 };
    try {
      this.worker = this.make();
    } catch (e) {
      // As a worker that fails before it is ready, but reported after the caller has finished mounting.
      console.error(e);
      this.worker = { terminate() {}, postMessage() {} } as unknown as Worker;
      setTimeout(() => this.stop(), 0);
      return;
    }
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === 'fatal') { this.stop(msg.message); return; }
      if (msg.type === 'ready') this.ready = true;
      if (msg.type === 'benchmark') this.busy = false;
      if (msg.type === 'pong') {
        if (msg.n === this.ping.n) this.ping = { n: msg.n, sentAt: 0 };
        return;
      }
      this.host.receive(msg);
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      if (this.ready) this.restart('died');
      else this.stop(); // it never started: restarting would loop
    };
  }

  private restart(why: 'died' | 'stalled') {
    const now = performance.now();
    this.restarts = [...this.restarts.filter((t) => now - t < 60000), now];
    if (this.restarts.length > 3) {
      this.stop();
      return;
    }
    this.worker.onerror = null;
    this.worker.terminate();
    this.start();
    this.host.restarted(why);
  }

  private stop(message?: string) {
    clearInterval(this.heartbeat);
    this.worker.onerror = null;
    this.worker.terminate();
    this.ready = false;
    this.host.fatal(message);
  }
}
