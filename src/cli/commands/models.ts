import type { Command } from 'commander';
import { collect } from '../util.js';
import type { ListFlags } from '../models-impl.js';

export function register(program: Command): void {
  const models = program
    .command('models')
    .summary('Manage available models')
    .description('Manage available models')
    .helpOption('-h, --help', 'Show this message and exit.');

  models
    .command('list', { isDefault: true })
    .description('List available models')
    .option('--options', 'Show options for each model, if available')
    .option('--async', 'List async models')
    .option('--schemas', 'List models that support schemas')
    .option('--tools', 'List models that support tools')
    .option('--json', 'Output as JSON')
    .option('-q, --query <text>', 'Search for models matching these strings', collect)
    .option('-m, --model <id>', 'Specific model IDs', collect)
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: ListFlags) => {
      const { listModels } = await import('../actions.js');
      await listModels(flags);
    });

  models
    .command('default')
    .description('Show or set the default model')
    .argument('[model]')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (model: string | undefined) => {
      const { getDefaultModel, getModel, setDefaultModel } = await import('../actions.js');
      if (!model) {
        process.stdout.write(getDefaultModel() + '\n');
        return;
      }
      setDefaultModel(getModel(model).modelId);
    });

  const options = models
    .command('options')
    .summary('Manage default options for models')
    .description('Manage default options for models')
    .helpOption('-h, --help', 'Show this message and exit.');

  options
    .command('list', { isDefault: true })
    .description('List default options for all models\n\nExample usage:\n\n    llm models options list')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { loadAllModelOptions } = await import('../actions.js');
      const all = loadAllModelOptions();
      const ids = Object.keys(all).filter((id) => Object.keys(all[id]!).length);
      if (!ids.length) {
        process.stderr.write('No default options set for any models.\n');
        return;
      }
      const { formatOptionValue } = await import('../actions.js');
      const blocks = ids.map(
        (id) => `${id}:\n` + Object.entries(all[id]!).map(([k, v]) => `  ${k}: ${formatOptionValue(v)}`).join('\n'),
      );
      process.stdout.write(blocks.join('\n') + '\n');
    });

  options
    .command('show')
    .description('List default options set for a specific model\n\nExample usage:\n\n    llm models options show gpt-4o')
    .argument('<model>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { getModelOptions, formatOptionValue } = await import('../actions.js');
      const modelId = await modelIdOrName(name);
      const options = getModelOptions(modelId);
      if (!Object.keys(options).length) {
        process.stderr.write(`No default options set for model '${modelId}'.\n`);
        return;
      }
      process.stdout.write(Object.entries(options).map(([k, v]) => `${k}: ${formatOptionValue(v)}`).join('\n') + '\n');
    });

  options
    .command('set')
    .description(
      'Set a default option for a model\n\nExample usage:\n\n    llm models options set gpt-4o temperature 0.5',
    )
    .argument('<model>')
    .argument('<key>')
    .argument('<value>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string, key: string, value: string) => {
      const { getModel, setModelOption, pydanticOptionError, UnknownModelError } = await import('../actions.js');
      // As Python: an unknown model id is used as it is; a known one's option is checked
      // (pydantic's words) and the value stored as the string given.
      let modelId = name;
      try {
        const model = getModel(name);
        modelId = model.modelId;
        const problem = pydanticOptionError(model.optionsSpec, key, value);
        if (problem !== undefined) {
          process.stderr.write(`Error: ${problem}\n`);
          process.exitCode = 1;
          return;
        }
      } catch (error) {
        if (!UnknownModelError.is(error)) throw error;
      }
      setModelOption(modelId, key, value);
      process.stderr.write(`Set default option ${key}=${value} for model ${modelId}\n`);
    });

  options
    .command('clear')
    .description(
      'Clear default option(s) for a model\n\nExample usage:\n\n    llm models options clear gpt-4o\n    # Or for a single option\n    llm models options clear gpt-4o temperature',
    )
    .argument('<model>')
    .argument('[key]')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string, key: string | undefined) => {
      const { clearModelOptions, getModelOptions } = await import('../actions.js');
      // As Python: an unknown model id is used as it is; clearing an option not set still
      // says it was cleared; clearing a model with none says nothing.
      const modelId = await modelIdOrName(name);
      const cleared = key === undefined ? Object.keys(getModelOptions(modelId)) : [key];
      if (key === undefined) clearModelOptions(modelId);
      else clearModelOptions(modelId, key);
      if (cleared.length === 1) process.stdout.write(`Cleared option '${cleared[0]}' for model ${modelId}\n`);
      else if (cleared.length > 1) process.stdout.write(`Cleared ${cleared.join(', ')} options for model ${modelId}\n`);
    });
}

/** A model's id from its id or alias; an unknown name is used as it is (as Python does). */
async function modelIdOrName(name: string): Promise<string> {
  const { getModel, UnknownModelError } = await import('../actions.js');
  try {
    return getModel(name).modelId;
  } catch (error) {
    if (UnknownModelError.is(error)) return name;
    throw error;
  }
}
