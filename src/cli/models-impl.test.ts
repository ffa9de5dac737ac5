// `llm models --async`: each model's async form, labelled as that model labels itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { Model } from '../models/model.js';
import type { ModelEventChunk } from '../models/events.js';
import { registerPlugin, unregisterPlugin } from '../plugins/registry.js';
import type { LlmPlugin } from '../plugins/types.js';
import { listModels } from './models-impl.js';

class Sync extends Model {
  readonly modelId = 'two-forms';
  override toString(): string {
    return 'Two Forms: two-forms';
  }
  async *execute(): AsyncIterable<ModelEventChunk> {}
}
class Async extends Sync {
  override supportsTools = true;
  override toString(): string {
    return 'Two Forms (async): two-forms';
  }
}

const plugin: LlmPlugin = { name: 'two-forms', registerModels: (register) => register(new Sync(), new Async(), ['tf']) };
let user: ReturnType<typeof tempUserDir>;
before(() => {
  user = tempUserDir();
  registerPlugin(plugin);
});
after(() => {
  unregisterPlugin(plugin);
  user.cleanup();
});

async function captured(run: () => Promise<void>): Promise<string> {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

test('--async lists the async model with its own label; without it, the sync one', async () => {
  assert.equal(await captured(() => listModels({ model: ['tf'] })), 'Two Forms: two-forms (aliases: tf)\n');
  assert.equal(await captured(() => listModels({ model: ['tf'], async: true })), 'Two Forms (async): two-forms (aliases: tf)\n');
  const json = JSON.parse(await captured(() => listModels({ model: ['tf'], async: true, json: true })));
  assert.equal(json[0].supports_tools, true, "--json --async describes the async model");
});
