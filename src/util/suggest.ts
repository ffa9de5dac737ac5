/**
 * The names closest to a mistyped one (edit distance, a swap of two letters counting as
 * one edit), for "Did you mean …?": at most `limit`, none further than a third of its length.
 */
export function closestNames(wanted: string, names: Iterable<string>, limit = 3): string[] {
  const target = wanted.toLowerCase();
  const most = Math.max(1, Math.floor(target.length / 3));
  const scored: Array<[number, string]> = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) || name === wanted) continue;
    seen.add(name);
    const distance = editDistance(target, name.toLowerCase(), most);
    if (distance <= most) scored.push([distance, name]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, limit)
    .map(([, name]) => name);
}

/** " Did you mean a, b or c?" or '' when there is nothing close. */
export function didYouMean(wanted: string, names: Iterable<string>): string {
  const close = closestNames(wanted, names);
  if (!close.length) return '';
  const list = close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close[close.length - 1]}`;
  return `. Did you mean ${list}?`;
}

/** Optimal string alignment distance; stops early (returns more than `most`) when over it. */
function editDistance(a: string, b: string, most: number): number {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > most) return most + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
