// The llm command. (Being written.)
declare const __LLM_VERSION__: string;
process.stdout.write(`llm, version ${__LLM_VERSION__}\n`);
