/** Helpers for the list-taking operators (ScEnsemble, Aggregate). */

export const CANDIDATE_LIMIT = 2000;

export function letterOf(index: number): string {
  return String.fromCharCode(65 + index);
}

/** Lettered candidates, each cut to a readable length. */
export function renderCandidates(list: readonly string[]): string {
  return list
    .map((c, i) => {
      const body = c.trim();
      return `### Candidate ${letterOf(i)}\n${body.length > CANDIDATE_LIMIT ? `${body.slice(0, CANDIDATE_LIMIT)} …[cut]` : body}`;
    })
    .join('\n\n');
}

/** Reads a candidate letter within range from a choice text ("B", "(c)", "Candidate B"). */
export function readLetter(text: string | undefined, count: number): number | undefined {
  if (!text) return undefined;
  const last = letterOf(count - 1);
  const range = new RegExp(
    `(?:candidate|option|solution|answer)\\s*\\(?([A-${last}])\\)?\\b|^\\s*\\(?([A-${last}])\\)?\\s*(?:$|[.):\\s])`,
    'im',
  );
  const m = range.exec(text.trim()) ?? range.exec(text.trim().toUpperCase());
  const letter = (m?.[1] ?? m?.[2])?.toUpperCase();
  return letter === undefined ? undefined : letter.charCodeAt(0) - 65;
}

export function normaliseAnswer(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.\s]+$/, '');
}

/** The index of the strict plurality among keys (ignoring undefined), or undefined when tied or < 2 votes. */
export function pluralityIndex(keys: readonly (string | undefined)[]): number | undefined {
  const counts = new Map<string, number>();
  for (const k of keys) if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || top[1] < 2 || (second && second[1] === top[1])) return undefined;
  return keys.indexOf(top[0]);
}
