export default { name: 'llm-ts-ollama' };
