/** Counts in messages as people write them: "1 pod", "3 pods", never "1 pod(s)". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
