// Where the lessons go below the lab. Their code (KaTeX, their charts) and their worker load only when asked —
// once the lab has painted its first boundary, so the lab itself starts first — and only where they are shown.
import type { Lang } from '../i18n';
import type { LabConfig } from '../state/config';
import type { Section } from '../state/urlstate';
import type { Lessons, LessonsHost } from '../lessons';

export interface LessonsStart {
  lang: Lang;
  section: Section | null; // the section to open (null: the first)
  config: LabConfig | null; // the configuration the lab runs, once it runs one
}

export class LessonsSlot {
  private loaded: Lessons | null = null;
  private closed = false;

  constructor(private container: HTMLElement, private host: LessonsHost, private shown: boolean) {}

  // The lessons, once loaded.
  get ready(): Lessons | null {
    return this.loaded;
  }

  // Loads them (once); `start` says how to start them, when they have arrived.
  async load(start: () => LessonsStart) {
    if (this.loaded || this.closed || !this.shown) return;
    const { Lessons } = await import('../lessons');
    if (this.loaded || this.closed) return;
    const { lang, section, config } = start();
    const lessons = (this.loaded = new Lessons(this.container, this.host, lang));
    if (section) lessons.open(section, false);
    if (config) lessons.configured(config);
    lessons.start();
  }

  // Shown or hidden (a <norm-lab>'s show changed); once shown, they may load.
  setShown(shown: boolean) {
    this.shown = shown;
    if (this.loaded) this.host.landscape(shown && this.loaded.section === 'landscape'); // measured only while seen
  }

  destroy() {
    this.closed = true;
    this.loaded?.destroy();
  }
}
