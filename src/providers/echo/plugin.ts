import type { LlmPlugin } from '../../plugins/types.js';
import { Echo } from './echo-model.js';

export const echoPlugin: LlmPlugin = {
  name: 'llm-echo',
  registerModels(register) {
    register(new Echo());
  },
};
