// The lab as the whole document's page (main.ts; main-single.ts, the single file): mounted into #normlab, with
// the document's language, owning the URL hash.
import { mountLab } from './app';
import type { LabController, MountOptions } from './api';

export function mountPage(options: Partial<MountOptions> = {}): LabController {
  return mountLab({
    root: document,
    container: document.getElementById('normlab')!,
    host: document.body,
    langTarget: document.documentElement,
    standalone: true,
    hash: location.hash,
    ...options,
  });
}
