import { z } from 'zod/v4';
import { defineActivity, render, unexpected } from '../activity';
import { ParameterName, TemplateText } from '../schemas';
import { clipParameter } from '../template';

/** Save to Parameter: stores a templated value in a workflow parameter. */
export const saveToParameter = defineActivity({
  kind: 'save-to-parameter',
  label: 'Save to Parameter',
  category: 'conversation',
  settings: z.object({ parameter: ParameterName, value: TemplateText }),
  exits: () => ['next'],
  templates: (s) => [s.value],
  writes: (s) => [s.parameter],
  run(ctx, input) {
    if (input.kind !== 'enter') return unexpected('Save to Parameter', input);
    return {
      type: 'exit',
      exit: 'next',
      params: { [ctx.settings.parameter]: clipParameter(render(ctx.settings.value, ctx.values)) },
    };
  },
});
