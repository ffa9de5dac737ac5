// Server-side tools as Python 0.32 defines them: request entries, option checks, the logged
// definition (its hash matches Python's) and configuration, and the model support check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../errors.js';
import { OpenAIChat, OpenAIResponses } from '../../providers/openai/models.js';
import { parseToolSpec } from '../spec.js';
import { instantiateServerSideTool, resolveToolSpecs } from '../resolve.js';
import { CodeInterpreter, WebSearch } from './openai-tools.js';
import { ServerSideTool, checkServerSideTools } from './server-side-tool.js';

const responses = new OpenAIResponses({ modelId: 'gpt-5.6-luna' });

function usageError(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => error instanceof UsageError && error.message === message);
}

describe('WebSearch', () => {
  test('maps its options to the web_search entry (domain filters nested, location typed)', () => {
    assert.deepEqual(new WebSearch().toolSpec(), { type: 'web_search' });
    assert.deepEqual(
      new WebSearch({
        allowed_domains: ['openai.com'],
        blocked_domains: ['example.com'],
        user_location: { country: 'GB' },
        search_context_size: 'high',
        external_web_access: false,
        return_token_budget: 'unlimited',
        search_content_types: ['text', 'image'],
        image_settings: { max_results: 3 },
      }).toolSpec(),
      {
        type: 'web_search',
        filters: { allowed_domains: ['openai.com'], blocked_domains: ['example.com'] },
        user_location: { country: 'GB', type: 'approximate' },
        search_context_size: 'high',
        external_web_access: false,
        return_token_budget: 'unlimited',
        search_content_types: ['text', 'image'],
        image_settings: { max_results: 3 },
      },
    );
  });

  test('include_sources / include_results add to include once, after what is there', () => {
    const body: Record<string, unknown> = { include: ['reasoning.encrypted_content'] };
    const tool = new WebSearch({ include_sources: true, include_results: true });
    tool.prepareRequest(responses, body);
    tool.prepareRequest(responses, body);
    assert.deepEqual(body.include, ['reasoning.encrypted_content', 'web_search_call.action.sources', 'web_search_call.results']);
    const none: Record<string, unknown> = {};
    new WebSearch().prepareRequest(responses, none);
    assert.deepEqual(none, {});
  });

  test('a bad option is one line naming it', () => {
    usageError(() => new WebSearch({ search_context_size: 'huge' }), 'WebSearch: search_context_size must be one of: low, medium or high');
    usageError(() => new WebSearch({ allowed_domains: ['https://openai.com'] }), 'WebSearch: allowed_domains entries must omit the URL scheme');
    usageError(() => new WebSearch({ allowed_domains: 'openai.com' }), 'WebSearch: allowed_domains must be a list');
    usageError(() => new WebSearch({ user_location: { type: 'exact' } }), 'WebSearch: user_location type must be approximate');
    usageError(() => new WebSearch({ image_settings: { max_results: 0 } }), 'WebSearch: image_settings max_results must be a positive integer');
    usageError(() => new WebSearch({ search_content_types: ['video'] }), 'WebSearch: search_content_types must contain text and/or image');
    usageError(() => new WebSearch({ include_sources: 'yes' }), 'WebSearch: include_sources must be a boolean');
    usageError(() => new WebSearch({ colour: 'blue' }), "WebSearch() got an unexpected keyword argument 'colour' (it takes allowed_domains, blocked_domains, user_location, search_context_size, external_web_access, return_token_budget, search_content_types, image_settings, include_sources, include_results)");
  });

  test('is logged as Python logs it: the same definition hash, and every argument in its configuration', () => {
    const tool = new WebSearch({ allowed_domains: ['openai.com'], include_sources: true });
    // sha256 of Python's json.dumps({"name", "description", "input_schema": {}, "server_side": true}).
    assert.equal(tool.hash(), '71bfe55939950b13eaa19bb927de2a8ae8c456a104389b2f354635b21ee9c0c2');
    assert.equal(tool.name, 'web_search');
    assert.deepEqual(tool.instance, {
      toolboxName: 'WebSearch',
      config: {
        allowed_domains: ['openai.com'],
        blocked_domains: null,
        user_location: null,
        search_context_size: null,
        external_web_access: null,
        return_token_budget: null,
        search_content_types: null,
        image_settings: null,
        include_sources: true,
        include_results: false,
      },
    });
  });
});

describe('CodeInterpreter', () => {
  test('an automatic container with its settings, or a container id; asks for the outputs', () => {
    assert.deepEqual(new CodeInterpreter().toolSpec(), { type: 'code_interpreter', container: { type: 'auto' } });
    assert.deepEqual(new CodeInterpreter({ memory_limit: '4g', file_ids: ['file-1'] }).toolSpec(), {
      type: 'code_interpreter',
      container: { type: 'auto', memory_limit: '4g', file_ids: ['file-1'] },
    });
    assert.deepEqual(new CodeInterpreter({ container: 'cntr_1' }).toolSpec(), { type: 'code_interpreter', container: 'cntr_1' });
    const body: Record<string, unknown> = {};
    new CodeInterpreter().prepareRequest(responses, body);
    new CodeInterpreter().prepareRequest(responses, body);
    assert.deepEqual(body, { include: ['code_interpreter_call.outputs'] });
  });

  test('a bad option is one line', () => {
    usageError(() => new CodeInterpreter({ memory_limit: '5g' }), 'CodeInterpreter: memory_limit must be one of: 1g, 4g, 16g or 64g');
    usageError(() => new CodeInterpreter({ container: 'cntr_1', memory_limit: '4g' }), 'CodeInterpreter: container cannot be combined with memory_limit or file_ids');
    usageError(() => new CodeInterpreter({ container: 5 }), 'CodeInterpreter: container must be a string container ID');
  });
});

describe('ServerSideTool (raw spec)', () => {
  test('sends its spec as it is; without one it cannot be sent', () => {
    const raw = new ServerSideTool({ spec: { type: 'browser_search', depth: 'deep' } });
    assert.deepEqual(raw.toolSpec(responses), { type: 'browser_search', depth: 'deep' });
    assert.deepEqual(raw.instance, { toolboxName: 'ServerSideTool', config: { spec: { type: 'browser_search', depth: 'deep' } } });
    usageError(() => new ServerSideTool().toolSpec(responses), 'ServerSideTool does not define a raw provider tool spec');
  });
});

describe('support check', () => {
  test("a model takes only the tools it claims, with Python's message", () => {
    checkServerSideTools(responses, [new WebSearch(), new CodeInterpreter(), new ServerSideTool({ spec: { type: 'x' } })]);
    const chat = new OpenAIChat({ modelId: 'chat-model', supportsTools: true });
    usageError(() => chat.prompt('hi', { tools: [new WebSearch()] }), "Model 'chat-model' does not support server-side tool 'web_search'. Run: llm tools -m chat-model");
    // Claiming the base class claims raw specs only, not another provider's subclass.
    class OtherSearch extends ServerSideTool {
      static override readonly className = 'OtherSearch';
      static override readonly toolName = 'other_search';
      static override readonly defaults = {};
    }
    const rawOnly = { modelId: 'raw', supportedServerSideTools: [ServerSideTool] };
    checkServerSideTools(rawOnly, [new ServerSideTool({ spec: { type: 'x' } })]);
    usageError(() => checkServerSideTools(rawOnly, [new OtherSearch()]), "Model 'raw' does not support server-side tool 'other_search'. Run: llm tools -m raw");
  });

  test('a model without function tools still takes its server-side tools', () => {
    const model = new OpenAIResponses({ modelId: 'custom', supportsTools: false });
    const response = model.prompt('hi', { tools: [new ServerSideTool({ spec: { type: 'browser_search' } })] });
    assert.equal(response.prompt.tools.length, 0);
    assert.equal(response.prompt.serverSideTools.length, 1);
  });
});

describe('-T specs', () => {
  test("name the model's server-side classes, with keywords, a JSON object or positional values", () => {
    const classes = responses.supportedServerSideTools;
    const [search, code, raw, byId] = resolveToolSpecs(
      ['WebSearch', 'CodeInterpreter(memory_limit="4g")', 'ServerSideTool({"spec": {"type": "x"}})', 'CodeInterpreter("cntr_9")'],
      new Map(),
      classes,
    );
    assert.ok(search instanceof WebSearch);
    assert.deepEqual((code as CodeInterpreter).toolSpec(), { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } });
    assert.deepEqual((raw as ServerSideTool).toolSpec(responses), { type: 'x' });
    assert.deepEqual((byId as CodeInterpreter).toolSpec(), { type: 'code_interpreter', container: 'cntr_9' });
  });

  test('the configuration logs.db stored rebuilds the same tool (what -c does)', () => {
    const first = new WebSearch({ allowed_domains: ['openai.com'], include_sources: true });
    const spec = `WebSearch(${JSON.stringify(first.config)})`;
    const again = instantiateServerSideTool(WebSearch, parseToolSpec(spec));
    assert.deepEqual(again.config, first.config);
    assert.deepEqual(again.toolSpec(), first.toolSpec());
  });

  test('a name the model does not take is not found; bad values are one line', () => {
    usageError(() => resolveToolSpecs(['WebSearch'], new Map(), []), 'Tool(s) WebSearch not found. Available tools: ');
    usageError(
      () => resolveToolSpecs(['CodeInterpreter(memory_limit="5g")'], new Map(), responses.supportedServerSideTools),
      'CodeInterpreter: memory_limit must be one of: 1g, 4g, 16g or 64g',
    );
  });
});

describe('positional arguments of a -T spec', () => {
  test('bound to the parameters in order; too many, or a value given twice, is one UsageError line', () => {
    const bound = instantiateServerSideTool(CodeInterpreter, parseToolSpec('CodeInterpreter("cntr_1")'));
    assert.deepEqual(bound.toolSpec(), { type: 'code_interpreter', container: 'cntr_1' });
    assert.throws(
      () => instantiateServerSideTool(CodeInterpreter, parseToolSpec('CodeInterpreter("a", "4g", [], "x")')),
      (error: unknown) => error instanceof UsageError && error.message === 'CodeInterpreter takes at most 3 positional argument(s) (container, memory_limit, file_ids)',
    );
    assert.throws(
      () => instantiateServerSideTool(CodeInterpreter, parseToolSpec('CodeInterpreter("a", container="b")')),
      (error: unknown) => error instanceof UsageError && error.message === "CodeInterpreter() got multiple values for argument 'container'",
    );
  });
});
