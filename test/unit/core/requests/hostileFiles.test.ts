import * as assert from 'assert';
import { minimumAmount } from '../../../../src/core/sending/amount';
import { completeAt } from '../../../../src/core/requests/completion';
import { cycleProblems, planRun } from '../../../../src/core/requests/dependencies';
import { requestDiagnostics } from '../../../../src/core/requests/diagnostics';
import { hoverAt } from '../../../../src/core/requests/hover';
import { MAX_JSON_DEPTH } from '../../../../src/core/requests/jsonPath';
import { MAX_PROBLEMS, parseRequestFile } from '../../../../src/core/requests/parser';
import { MAX_KEPT_REPLY_BYTES, resolveSpan, type BlockOutcome } from '../../../../src/core/requests/references';
import { blockKeys } from '../../../../src/core/requests/blockKeys';
import { type RequestBlock, type RequestFile, type TextSpan } from '../../../../src/core/requests/requestFile';
import { RequestResults } from '../../../../src/core/requests/runner';
import { ALICE, reply } from './sampleFile';

const DIAGNOSTICS = { nodeNames: ['sim'], minimumAmount };
/** The reply a hostile peer sends to the sample's ping. */
const HOSTILE = 'pong","about":"forged-id","pay_to":"03mallory';

function messages(text: string): string[] {
  return requestDiagnostics(parseRequestFile(text), DIAGNOSTICS).map((problem) => problem.message);
}

/** The file with each block's pubkey span counting how often its references are read. */
function counted(file: RequestFile): { file: RequestFile; reads: () => number } {
  let reads = 0;
  const blocks = file.blocks.map((block): RequestBlock => {
    const span = block.pubkey!;
    const pubkey: TextSpan = {
      text: span.text,
      range: span.range,
      get references() {
        reads++;
        return span.references;
      },
    };
    return { ...block, pubkey };
  });
  return { file: { ...file, blocks }, reads: () => reads };
}

describe('request files from a hostile author or peer', () => {
  describe('{{ref | json}}', () => {
    const file = parseRequestFile(`### a\n# @name ping\nSEND ${ALICE}\n\nx\n### b\nSEND ${ALICE}\n\n{"about":{{ping.id | json}},"heard":{{ping.reply.data|json}}}\n`);
    const body = file.blocks[1]!.body!;

    it('inserts a reply as a JSON string: the body has exactly the intended keys', () => {
      const outcomes = new Map<string, BlockOutcome>([['ping', { id: 'ID-1', reply: reply(HOSTILE) }]]);
      const resolved = resolveSpan(body, { variables: file.variables, outcomes });
      assert.deepStrictEqual(resolved.failures, []);
      assert.deepStrictEqual(JSON.parse(resolved.text), { about: 'ID-1', heard: HOSTILE });
      const hover = hoverAt(file, { line: 8, character: 12 }, { variables: file.variables, outcomes })!;
      assert.strictEqual(hover.text, '{{ping.id | json}} = "ID-1"', 'the hover shows the value, not a string of JSON');
      assert.deepStrictEqual(file.problems, []);
      assert.deepStrictEqual(messages(`### a\n# @name ping\nSEND ${ALICE}\n\nx\n### b\nSEND ${ALICE}\n\n${body.text}\n`), []);
    });

    it('inserts a JSON path as that node, a variable and any text as a string literal', () => {
      const text = `@v = a"b\\c\n### a\n# @name p\nSEND ${ALICE}\n\n[{{p.reply.json.o | json}},{{p.reply.json.s | json}},{{p.reply.json.s}},{{v | json}},{{p.reply.from | json}}]\n`;
      const parsed = parseRequestFile(text);
      const outcomes = new Map<string, BlockOutcome>([['p', { id: 'i', reply: reply('{"o":{"k":[1,"\\u2028"]},"s":"q\\"uote"}') }]]);
      const resolved = resolveSpan(parsed.blocks[0]!.body!, { variables: parsed.variables, outcomes });
      assert.deepStrictEqual(resolved.failures, []);
      assert.strictEqual(resolved.text, `[{"k":[1,"\u2028"]},"q\\"uote",q"uote,"a\\"b\\\\c","${ALICE}"]`);
    });

    it('knows one format only, and completes it after the bar', () => {
      assert.match(messages(`### a\n# @name p\nSEND ${ALICE}\n\n{{p.id | html}}\n`)[0]!, /Unknown format "\| html"/);
      const candidates = completeAt(file, '{{ping.reply.data | ', { line: 8, character: 20 }, { knownSenders: [], nodeNames: [] });
      assert.deepStrictEqual(candidates.map((candidate) => [candidate.label, candidate.replaceFrom]), [['json', 20]]);
    });

    it('warns where a raw reply reference sits in a JSON body, suggesting | json', () => {
      const found = messages(
        `### a\n# @name ping\nSEND ${ALICE}\n\nx\n### b\nSEND ${ALICE}\n\n{"about":"{{ping.id}}","heard":"{{ping.reply.data}}","n":{{ping.reply.json.n}},"esc":"\\"{{ping.reply.from}}"}\n### c\nSEND ${ALICE}\n\nplain {{ping.reply.data}}\n`,
      );
      assert.deepStrictEqual(found, [
        "A reply's text inside a JSON string can close the string and add keys: write {{ping.reply.data | json}} as the whole value, without the quotes around it",
        "A reply's text goes into this JSON body as it is and can add keys: write {{ping.reply.json.n | json}}",
        "A reply's text inside a JSON string can close the string and add keys: write {{ping.reply.from | json}} as the whole value, without the quotes around it",
      ]);
    });
  });

  describe('planning', () => {
    /** 10,000 blocks each referencing the first and the next: every block closes a cycle through b0. */
    const crafted = Array.from({ length: 10_000 }, (_, i) => `###\n# @name b${i}\nSEND {{b0.id}}{{b${i + 1}.id}}\n`).join('');

    it('plans the crafted file reading each block once, with one cycle and a bounded description', () => {
      const { file, reads } = counted(parseRequestFile(crafted));
      const plan = planRun(file, file.blocks.map((block) => block.index));
      assert.strictEqual(reads(), 10_000, 'each block read once');
      assert.strictEqual(plan.order.length, 10_000);
      assert.strictEqual(plan.cyclic.size, 10_000);
      assert.strictEqual(new Set(plan.cyclic.values()).size, 1, 'one cycle for the blocks that reference each other round');
      assert.strictEqual(plan.cyclic.get(0)!.description, 'b0 → b0');
      assert.strictEqual(cycleProblems(file).length, 1);
    });

    it('describes a long cycle in a few names', () => {
      const ring = Array.from({ length: 10_000 }, (_, i) => `###\n# @name r${i}\nSEND {{r${(i + 1) % 10_000}.id}}\n`).join('');
      const plan = planRun(parseRequestFile(ring), [0]);
      const cycle = plan.cyclic.get(5_000)!;
      assert.strictEqual(cycle.blocks.length, 10_000);
      assert.strictEqual(cycle.description, 'r0 → r1 → r2 → r3 → … → r9999 → r0');
    });

    it('caps the diagnostics of the crafted file like parse problems', () => {
      const found = messages(crafted);
      // The last block references a block that does not exist, and the ring's one cycle.
      assert.deepStrictEqual(found, ['No block is named "b10000" (name one with "# @name b10000")', 'Reference cycle: b0 → b0']);
      const broken = Array.from({ length: 3_000 }, (_, i) => `### t${i}\nSEND {{nope${i}.id}}\n### t${i}\nSEND ${ALICE}\n`).join('');
      const capped = messages(broken);
      assert.strictEqual(capped.length, MAX_PROBLEMS + 1);
      assert.strictEqual(capped[MAX_PROBLEMS], `${3_000 * 2 - MAX_PROBLEMS} more problems are not shown`);
      const pairs = Array.from({ length: 3_000 }, (_, i) => `###\n# @name x${i}\nSEND {{y${i}.id}}\n###\n# @name y${i}\nSEND {{x${i}.id}}\n`).join('');
      assert.strictEqual(messages(pairs).length, MAX_PROBLEMS + 1);
    });

    it('plans a 10,000-long chain, and its diagnostics, without overflowing the stack', () => {
      const chain = Array.from({ length: 10_000 }, (_, i) => `###\n# @name c${i}\nSEND ${i + 1 < 10_000 ? `{{c${i + 1}.id}}` : ALICE}\n`).join('');
      const { file, reads } = counted(parseRequestFile(chain));
      const plan = planRun(file, [0]);
      assert.strictEqual(plan.order.length, 10_000);
      assert.strictEqual(plan.cyclic.size, 0);
      assert.strictEqual(reads(), 10_000);
      assert.deepStrictEqual(messages(chain), []);
    });
  });

  describe('deep and huge replies', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const file = parseRequestFile(`### a\n# @name d\nSEND ${ALICE}\n\n{{d.reply.json.x}} {{d.reply.json.x | json}} {{d.reply.data}}\n`);

    it('resolves and hovers a 20,000-deep reply without throwing: a clear failure past the depth limit', () => {
      const outcomes = new Map<string, BlockOutcome>([['d', { id: 'i', reply: reply(`{"x":${deep}}`) }]]);
      const context = { variables: file.variables, outcomes };
      const resolved = resolveSpan(file.blocks[0]!.body!, context);
      const tooDeep = `x in the reply of d is nested more than ${MAX_JSON_DEPTH} levels deep`;
      assert.deepStrictEqual(resolved.failures, [`{{d.reply.json.x}}: ${tooDeep}`, `{{d.reply.json.x | json}}: ${tooDeep}`]);
      const hover = hoverAt(file, { line: 4, character: 3 }, context)!;
      assert.strictEqual(hover.hasValue, false);
      assert.strictEqual(hover.text, `{{d.reply.json.x}}: ${tooDeep}`);
      assert.strictEqual(hoverAt(file, { line: 4, character: 50 }, context)!.hasValue, true, 'the data as text renders');
    });

    it('keeps a reply of at most MAX_KEPT_REPLY_BYTES, and says so for a larger one', () => {
      const results = new RequestResults();
      const outcomes = results.outcomes('file:///a.imp');
      outcomes.set('d', { id: 'i', reply: reply('x'.repeat(MAX_KEPT_REPLY_BYTES + 1)) });
      assert.strictEqual(outcomes.get('d')!.reply!.data.byteLength, 0);
      assert.ok(results.size.bytes < 1024, `${results.size.bytes} bytes held`);
      const resolved = resolveSpan(file.blocks[0]!.body!, { variables: file.variables, outcomes });
      assert.match(resolved.failures[2]!, /the reply of d was 524,289 bytes, more than the 524,288 kept for references/);
      outcomes.set('d', { id: 'i', reply: reply('small') });
      assert.strictEqual(resolveSpan(file.blocks[0]!.body!, { variables: file.variables, outcomes }).failures.length, 2);
    });

    it('bounds what results hold across files and within one, dropping data before IDs', () => {
      const results = new RequestResults({ files: 3, totalBytes: 100_000 });
      for (let i = 0; i < 5; i++) {
        results.outcomes(`file:///${i}.imp`).set('a', { id: `id${i}`, reply: reply('y'.repeat(10_000)) });
      }
      assert.deepStrictEqual(results.size.files, 3, 'the least recently used files went');
      assert.ok(!results.outcomes('file:///0.imp').has('a'));
      const one = results.outcomes('file:///big.imp');
      for (let i = 0; i < 20; i++) {
        one.set(`b${i}`, { id: `id${i}`, reply: reply('z'.repeat(10_000)) });
      }
      assert.ok(results.size.bytes <= 100_000, `${results.size.bytes} bytes held`);
      assert.strictEqual(results.size.files, 1, 'other files went first');
      assert.strictEqual(one.size, 20, 'every block keeps its ID, so none is sent again');
      assert.ok(one.get('b0')!.replyBytesDropped === 10_000 && one.get('b19')!.reply!.data.byteLength === 10_000);
      results.clear();
      assert.deepStrictEqual(results.size, { files: 0, bytes: 0 });
    });

    it('copies a kept reply, so the frame it came in is not held through it', () => {
      const frame = Buffer.alloc(64 * 1024);
      const data = frame.subarray(0, 4);
      const outcomes = new RequestResults().outcomes('k');
      outcomes.set('a', { id: 'i', reply: reply('', { data }) });
      assert.strictEqual(outcomes.get('a')!.reply!.data.buffer.byteLength, 4);
    });
  });

  describe('names from the file', () => {
    it('accepts no header or word that only an inherited property knows', () => {
      for (const header of ['Constructor: x', '__proto__: x', 'toString: 1', 'hasOwnProperty: 1', 'valueOf: 1']) {
        const found = parseRequestFile(`### a\nSEND ${ALICE}\n${header}\n\nbody\n`);
        assert.deepStrictEqual(found.blocks[0]!.headers, [], header);
        assert.match(found.problems[0]?.message ?? '', /^Unknown header|^Expected a header/, header);
      }
      for (const assertion of ['reply.constructor == 1', 'constructor within 1s', 'reply within 1constructor', 'reply within 1__proto__', 'reply.amount toString 1']) {
        const found = parseRequestFile(`### a\nSEND ${ALICE}\n\nx\n> expect ${assertion}\n`);
        assert.strictEqual(found.blocks[0]!.expectations.length, 0, assertion);
        assert.strictEqual(found.problems.length, 1, assertion);
      }
      assert.strictEqual(parseRequestFile(`### a\n# @timeout 1toString\nSEND ${ALICE}\n`).problems.length, 1);
      assert.deepStrictEqual(messages(`### a\nSEND {{constructor}}\n\n{{__proto__.id}} {{toString}}\n`), [
        'Unknown variable "constructor"',
        'No block is named "__proto__" (name one with "# @name __proto__")',
        'Unknown variable "toString"',
      ]);
    });

    it('flags a title or name another block already has, naming its line', () => {
      const found = requestDiagnostics(
        parseRequestFile(`### ping\nSEND ${ALICE}\n### ping\nSEND ${ALICE}\n### other\n# @name ping\nSEND ${ALICE}\n### #5\nSEND ${ALICE}\n###\nSEND ${ALICE}\n`),
        DIAGNOSTICS,
      );
      assert.deepStrictEqual(
        found.map((problem) => [problem.range.start.line, problem.severity, problem.message]),
        [
          [2, 'warning', '"ping" is also the name of the block at line 1: their results and tests would be taken for each other; give this block its own "# @name" or title'],
          [5, 'warning', '"ping" is also the name of the block at line 1: their results and tests would be taken for each other; give this block its own "# @name" or title'],
          [9, 'warning', '"#5" is also the name of the block at line 8: their results and tests would be taken for each other; give this block its own "# @name" or title'],
        ],
      );
      const keys = blockKeys(parseRequestFile(['ping', 'ping', 'ping (2)', 'ping', '', ''].map((title) => `### ${title}\nSEND ${ALICE}\n`).join('')));
      assert.deepStrictEqual(keys, ['ping', 'ping\n2', 'ping (2)', 'ping\n3', '#5', '#6'], 'one key per block, never another block\'s');
      const names = parseRequestFile(`### a\n# @name x\nSEND ${ALICE}\n### b\n# @name x\nSEND ${ALICE}\n`).problems.map((problem) => problem.message);
      assert.deepStrictEqual(names, ['Another block is already named "x" (line 2); references and results would take that one']);
    });
  });
});
