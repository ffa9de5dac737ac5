import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';

export function register(program: Command): void {
  const templates = program
    .command('templates')
    .summary('Manage stored prompt templates')
    .description('Manage stored prompt templates')
    .helpOption('-h, --help', 'Show this message and exit.');

  templates
    .command('list', { isDefault: true })
    .description('List available prompt templates')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { listTemplateNames, loadTemplate } = await import('../actions.js');
      const pairs: [string, string][] = [];
      for (const name of listTemplateNames()) {
        let template: Awaited<ReturnType<typeof loadTemplate>>;
        try {
          template = await loadTemplate(name);
        } catch {
          // Skipped silently, as Python does; `llm templates show NAME` says what is wrong.
          continue;
        }
        let text: string;
        if (template.system) {
          text = `system: ${template.system}`;
          if (template.prompt) text += ` prompt: ${template.prompt}`;
        } else {
          text = template.prompt ?? '';
        }
        pairs.push([name, text.replace(/\n/g, ' ')]);
      }
      if (!pairs.length) return;
      const width = Math.max(...pairs.map(([name]) => name.length));
      const columns = terminalWidth();
      const lines = pairs.map(([name, text]) => {
        const line = `${name.padEnd(width)} : ${text}`;
        return line.length > columns ? line.slice(0, columns - 3) + '...' : line;
      });
      process.stdout.write(lines.join('\n') + '\n');
    });

  templates
    .command('show')
    .description('Show the specified prompt template')
    .argument('<name>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { loadTemplate, templateYaml } = await import('../actions.js');
      const template = await loadTemplate(name);
      const data = Object.fromEntries(Object.entries(template).filter(([, v]) => v !== null && v !== undefined));
      process.stdout.write(await templateYaml(data));
    });

  templates
    .command('edit')
    .description('Edit the specified prompt template using the default $EDITOR')
    .argument('<name>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { loadTemplate, runEditor, templatePath, UsageError } = await import('../actions.js');
      const path = templatePath(name);
      if (!existsSync(path)) writeFileSync(path, 'prompt: ');
      const failure = runEditor(path);
      if (failure !== undefined) throw new UsageError(failure);
      // Check that what was saved still parses.
      await loadTemplate(name);
    });

  templates
    .command('path')
    .description('Output the path to the templates directory')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { templatesDir } = await import('../actions.js');
      process.stdout.write(templatesDir() + '\n');
    });

  templates
    .command('loaders')
    .description('Show template loaders registered by plugins')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { templatesLoaders } = await import('../actions.js');
      templatesLoaders();
    });
}

function terminalWidth(): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.stdout.columns || 80;
}
