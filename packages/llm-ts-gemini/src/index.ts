export default { name: 'llm-ts-gemini' };
