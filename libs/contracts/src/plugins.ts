import { z } from 'zod/v4';

/**
 * A plug-in operator as a user declares it (YAML or JSON, `FLOWSTEER_PLUGINS`): an LLM step the
 * director may place on the canvas like a built-in. The generic operator runs it on the session's
 * executor: `instruction` is the task, the director's node prompt the guidance. A checker
 * (`category: checking`) also answers pass/fail, which conditionals read. A step that writes code
 * (`solving` or `revision`) may ask for a code check: its Python result is run in the sandbox
 * against the problem's tests, through the same verdict path as the `Test` operator.
 */
export const pluginOperatorSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Za-z0-9]{0,39}$/, 'a capitalised name of letters and digits (at most 40), e.g. UnitCheck'),
    category: z.enum(['planning', 'solving', 'checking', 'revision', 'ensemble', 'formatting']),
    description: z.string().trim().min(10).max(300),
    instruction: z.string().trim().min(10).max(4_000),
    promptGuidance: z.string().trim().max(1_000).optional(),
    /** Its output can be the workflow's answer (default: solving, revision and formatting steps). */
    producesAnswer: z.boolean().optional(),
    allowedInParallel: z.boolean().optional(),
    /** Which of the session's backends answers it: its executor (default) or its director. */
    backend: z.enum(['executor', 'director']).optional(),
    /**
     * The step's result is Python code, run on the sandbox queue against the problem's tests (only a
     * load check when the problem has none). The verdict and the failure go into its output, the
     * director's feedback and the next step's input; a failing check does not replace the code. The
     * step stays a solver: a conditional cannot read it.
     */
    codeCheck: z.boolean().optional(),
  })
  .strict()
  .refine((p) => !p.codeCheck || p.category === 'solving' || p.category === 'revision', {
    message: 'codeCheck needs a step that writes code: category solving or revision',
    path: ['codeCheck'],
  });

export const pluginFileSchema = z.object({ operators: z.array(pluginOperatorSchema).min(1).max(20) }).strict();

export type PluginOperator = z.output<typeof pluginOperatorSchema>;
export type PluginFile = z.output<typeof pluginFileSchema>;

/** What is wrong with a session's plug-in declarations (`SessionInput.plugins`), in words; none when they are valid. */
export function pluginOperatorsProblems(plugins: unknown): string[] {
  const parsed = pluginFileSchema.shape.operators.safeParse(plugins);
  return parsed.success ? [] : [`plugins: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`];
}
