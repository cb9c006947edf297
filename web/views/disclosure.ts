// A button that shows and hides a panel (the disclosure pattern: aria-expanded on the button, the panel's
// `hidden`). A menu-like panel also closes on Escape (focus goes back to its button) and on a click outside
// it; listeners go away when `signal` aborts.
export interface Disclosure {
  open(): void;
  close(focusButton?: boolean): void;
  readonly isOpen: boolean;
}

export function disclosure(button: HTMLButtonElement, panel: HTMLElement, signal: AbortSignal,
  opts: { dismissable?: boolean; onToggle?: (open: boolean) => void } = {}): Disclosure {
  const isOpen = () => panel.hidden === false;
  const set = (open: boolean) => {
    if (open === isOpen()) return;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    opts.onToggle?.(open);
  };
  button.setAttribute('aria-expanded', String(isOpen()));
  button.addEventListener('click', () => set(!isOpen()), { signal });
  if (opts.dismissable) {
    const root = button.getRootNode() as Document | ShadowRoot;
    root.addEventListener('pointerdown', (e) => {
      const path = e.composedPath();
      if (isOpen() && !path.includes(panel) && !path.includes(button)) set(false);
    }, { signal });
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.stopPropagation(); set(false); button.focus(); }
    }, { signal });
    button.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && isOpen()) { e.stopPropagation(); set(false); }
    }, { signal });
  }
  return {
    open: () => set(true),
    close: (focusButton = false) => { set(false); if (focusButton) button.focus(); },
    get isOpen() { return isOpen(); },
  };
}
