// Colours: runs (Paul Tol's bright scheme, colour-blind safe) and the two classes of the data.
export const RUN_COLORS = ['#4477aa', '#ee6677', '#228833', '#aa3377'];
export const CLASS_RGB: [number, number, number][] = [
  [68, 119, 170],  // class 0: blue
  [238, 119, 51],  // class 1: orange
];

export function isDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

// The colour of text drawn on a canvas (axes, labels), for the light or the dark scheme.
export function textColor(): string {
  return isDark() ? '#b8bcc4' : '#555a63';
}

export function rgb([r, g, b]: [number, number, number], alpha = 1): string {
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
