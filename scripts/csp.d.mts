// Types of scripts/csp.mjs (imported by vite.config.ts).
export const PAGE_CSP: string;
export function singleFileCsp(inline: { script: string; style: string }): string;
export function cspMeta(policy: string): string;
