/** Builds an element: attributes (`on*` as listeners), then children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | EventListener | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** "2026-05-01T10:20:30.123456+00:00" → "2026-05-01 10:20" */
export function shortDate(value: string | null): string {
  return value ? value.replace('T', ' ').slice(0, 16) : '';
}

export function usageText(input: number | null, output: number | null): string {
  if (input === null && output === null) return '';
  return `${input ?? 0} input, ${output ?? 0} output tokens`;
}
