import { OPERATOR_CATALOGUE } from '../catalogue';
import { catalogueVocabulary, type ActionVocabulary } from './vocabulary';

/**
 * A JSON Schema (draft 2020-12 subset understood by OpenAI structured outputs, vLLM and llama.cpp)
 * of one action object: the same keys as the wire tags. `parseAction` reads such objects.
 */
export function actionJsonSchema(vocabulary: ActionVocabulary = catalogueVocabulary(OPERATOR_CATALOGUE)): Record<string, unknown> {
  const v = vocabulary;
  const op = { type: 'string', enum: v.operators };
  const target = (ids: string[] | undefined) =>
    ids === undefined ? { type: 'string', pattern: '^node_[0-9]+(_[a-z][a-z0-9]*)?$' } : { type: 'string', enum: ids };
  const obj = (action: string, props: Record<string, unknown>, required: string[]) => ({
    type: 'object',
    properties: { action: { const: action }, ...props },
    required: ['action', ...required],
    additionalProperties: false,
  });
  const variants: unknown[] = [];
  if (v.allowAdd && v.operators.length > 0) {
    variants.push(
      obj('add', { operator: op }, ['operator']),
      obj(
        'add',
        {
          structure: { const: 'conditional' },
          condition: { type: 'string', enum: v.checkers },
          true: op,
          false: { type: 'string', enum: ['done', ...v.operators] },
        },
        ['structure', 'condition', 'true', 'false'],
      ),
      obj(
        'add',
        {
          structure: { const: 'loop' },
          operators: { type: 'array', items: op, minItems: 1, maxItems: 3 },
          count: { type: 'integer', minimum: 1, maximum: 10 },
        },
        ['structure', 'operators', 'count'],
      ),
    );
    if (v.parallelOperators.length > 0) {
      variants.push(
        obj(
          'add',
          {
            structure: { const: 'parallel' },
            operators: { type: 'array', items: { type: 'string', enum: v.parallelOperators }, minItems: 2, maxItems: 4 },
          },
          ['structure', 'operators'],
        ),
      );
    }
  }
  if (v.deleteTargets === undefined || v.deleteTargets.length > 0)
    variants.push(obj('delete', { target: target(v.deleteTargets) }, ['target']));
  if (v.operatorTargets === undefined || v.operatorTargets.length > 0) {
    variants.push(
      obj('modify', { target: target(v.operatorTargets), operator: op }, ['target', 'operator']),
      obj('set_prompt', { target: target(v.operatorTargets), prompt: { type: 'string', minLength: 5 } }, ['target', 'prompt']),
    );
  }
  if (v.allowFinish || variants.length === 0) variants.push(obj('finish', { answer: { type: 'string' } }, []));
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'FlowSteer canvas action', anyOf: variants };
}

export const ACTION_JSON_SCHEMA = actionJsonSchema();
