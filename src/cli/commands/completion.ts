import type { Command } from 'commander';
import { CliUsage } from '../util.js';

// `llm completion __complete WORDS...` prints the candidates, one a line, or `:files` where a
// file name goes (a file option's value, an argument): the script then completes file names.
const SCRIPTS: Record<string, string> = {
  bash: `# llm completion for bash: add to ~/.bashrc:  eval "$(llm completion bash)"
_llm_complete() {
  local IFS=$'\\n'
  COMPREPLY=( $(llm completion __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
  # ":files": no words from llm, so bash completes file names (-o default).
  if [[ \${COMPREPLY[0]} == :files ]]; then COMPREPLY=(); else compopt +o default 2>/dev/null; fi
}
complete -o default -F _llm_complete llm
`,
  zsh: `# llm completion for zsh: add to ~/.zshrc:  eval "$(llm completion zsh)"
_llm() {
  local -a candidates
  candidates=("\${(@f)$(llm completion __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if [[ \${candidates[1]} == :files ]]; then _files; else compadd -a candidates; fi
}
compdef _llm llm
`,
  fish: `# llm completion for fish:  llm completion fish > ~/.config/fish/completions/llm.fish
function __llm_complete
    set -l found (llm completion __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)
    if test "$found" = :files
        __fish_complete_path (commandline -ct)
    else if set -q found[1]
        printf '%s\\n' $found
    end
end
complete -c llm -f -a '(__llm_complete)'
`,
};

/** `llm completion bash|zsh|fish`: a shell's completion script, which calls back `llm completion __complete`. */
export function register(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: llm completion bash|zsh|fish')
    .argument('<shell>', 'bash, zsh or fish')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (shell: string, words: string[]) => {
      if (shell === '__complete') {
        const { completionCandidates } = await import('../actions.js');
        const found = await completionCandidates(words);
        if (found.length) process.stdout.write(found.join('\n') + '\n');
        return;
      }
      const script = SCRIPTS[shell];
      if (!script) throw new CliUsage(`Unknown shell: ${shell} (there are: bash, zsh, fish)`);
      process.stdout.write(script);
    });
}
