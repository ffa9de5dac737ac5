import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { MockModel } from '../testing/mock-model.js';
import { splitBatchRequests } from './split.js';

let user: ReturnType<typeof tempUserDir>;
before(() => (user = tempUserDir()));
after(() => user.cleanup());

const model = new MockModel();
const requests = (...texts: string[]) => texts.map((text, n) => ({ customId: `row-${n}`, response: model.prompt(text) }));
const encode = async ({ customId, response }: { customId: string; response: { prompt: { prompt?: string } } }) => ({
  text: JSON.stringify({ id: customId, prompt: response.prompt.prompt }),
  customId,
});

test('splitBatchRequests: all in one batch when within the limits, in order, each entry as encoded', async () => {
  const groups = await splitBatchRequests(requests('a', 'b', 'c'), { requests: 10, bytes: 1000 }, encode);
  assert.deepEqual(groups.map((g) => g.customIds), [['row-0', 'row-1', 'row-2']]);
  assert.deepEqual(groups[0]!.entries.map((e) => JSON.parse(e.text)), [
    { id: 'row-0', prompt: 'a' },
    { id: 'row-1', prompt: 'b' },
    { id: 'row-2', prompt: 'c' },
  ]);
});

test('splitBatchRequests: a new batch when the next request would pass the request limit', async () => {
  const groups = await splitBatchRequests(requests('a', 'b', 'c', 'd', 'e'), { requests: 2, bytes: 1000 }, encode);
  assert.deepEqual(groups.map((g) => g.customIds), [['row-0', 'row-1'], ['row-2', 'row-3'], ['row-4']]);
});

test('splitBatchRequests: a new batch when the next entry (and its separator) would pass the byte limit, the envelope counted', async () => {
  // Each entry is 27 bytes, 28 with its separator.
  const line = (await encode({ customId: 'row-0', response: { prompt: { prompt: 'a' } } })).text;
  assert.equal(Buffer.byteLength(line), 27);
  assert.deepEqual((await splitBatchRequests(requests('a', 'b', 'c'), { bytes: 56 }, encode)).map((g) => g.customIds), [['row-0', 'row-1'], ['row-2']]);
  assert.deepEqual((await splitBatchRequests(requests('a', 'b', 'c'), { bytes: 55 }, encode)).map((g) => g.customIds), [['row-0'], ['row-1'], ['row-2']]);
  assert.deepEqual(
    (await splitBatchRequests(requests('a', 'b', 'c'), { bytes: 56, overhead: 1 }, encode)).map((g) => g.customIds),
    [['row-0'], ['row-1'], ['row-2']],
  );
  // An entry larger than the limit still goes, alone in its batch (the provider says what it thinks of it).
  assert.deepEqual((await splitBatchRequests(requests('a', 'b'), { bytes: 10 }, encode)).map((g) => g.customIds), [['row-0'], ['row-1']]);
});

test('splitBatchRequests: each response is prepared before it is encoded (a missing key stops the job before anything is sent)', async () => {
  const keyed = new MockModel({ needsKey: 'llm-split-test', keyEnvVar: 'LLM_SPLIT_TEST_KEY' });
  let encoded = 0;
  await assert.rejects(
    splitBatchRequests([{ customId: 'row-0', response: keyed.prompt('a') }], { bytes: 1000 }, async () => {
      encoded++;
      return { text: 'x' };
    }),
  );
  assert.equal(encoded, 0);
});
