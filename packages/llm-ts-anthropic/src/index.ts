export default { name: 'llm-ts-anthropic' };
