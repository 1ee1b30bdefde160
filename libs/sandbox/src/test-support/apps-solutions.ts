/**
 * Hand-written solutions of APPS problems in MapCoder's selected150.jsonl (the file has no
 * reference solutions), keyed by the problem's `name`. Used by the scorer tests and by
 * bench/sandbox/reference-solutions.ts.
 */
export const APPS_SOLUTIONS: Readonly<Record<string, string>> = {
  '4724': "def drop_cap(str_):\n    return ' '.join(w.capitalize() if len(w) > 2 else w for w in str_.split(' '))\n",
  '3045': "def elevator(left, right, call):\n    return 'left' if abs(call - left) < abs(call - right) else 'right'\n",
  '1607': "s = input()\nprint(sum(s[:j].count('Q') * s[j + 1:].count('Q') for j in range(len(s)) if s[j] == 'A'))\n",
};
