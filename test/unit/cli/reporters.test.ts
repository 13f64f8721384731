import * as assert from 'assert';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { annotationLine, failureAnnotations } from '../../../src/cli/githubAnnotations';
import { jsonReport } from '../../../src/cli/jsonReport';
import { junitXml } from '../../../src/cli/junitReport';
import { countBlocks, summaryLine, type FileReport } from '../../../src/cli/runReport';

// A peer's reply can put anything into a failure text: markup, quotes, control characters.
const HOSTILE = 'got "<b>&amp;</b>" \u0007\u001b[31m\r\nline';

const FILES: FileReport[] = [
  {
    file: 'requests/a.imp',
    elapsedMs: 1234,
    blocks: [
      { index: 0, name: 'ping', title: 'ping', line: 2, status: 'passed', id: 'id-ping', replyId: 'reply-ping', latencyMs: 820, failures: [], failedExpectations: [] },
      {
        index: 1,
        name: 'follow',
        title: 'follow <up>',
        line: 9,
        status: 'failed',
        id: 'id-follow',
        replyId: 'reply-follow',
        latencyMs: 15,
        failures: ['reply.data: expected "pong", got "re: ping"', HOSTILE],
        failedExpectations: [
          { expectation: 0, line: 14, text: 'reply.data: expected "pong", got "re: ping"', expected: '"pong"', actual: '"re: ping"' },
          { expectation: 1, line: 15, text: HOSTILE },
        ],
      },
      { index: 2, name: 'later', title: 'later', line: 17, status: 'skipped', failures: [], failedExpectations: [], skipped: 'not run: --bail stopped the run at a failure' },
    ],
  },
  {
    file: 'b, c.imp',
    elapsedMs: 10,
    blocks: [{ index: 0, name: '#1', title: '', line: 1, status: 'failed', failures: ['send failed: the node answered HTTP 503'], failedExpectations: [] }],
  },
];

type Node = Record<string, unknown>;

function parseJunit(xml: string): Node {
  assert.strictEqual(XMLValidator.validate(xml), true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as Node;
}

describe('command line: reporters', () => {
  it('JUnit: a testsuite per file, a testcase per block, read back field by field', () => {
    const xml = junitXml(FILES);
    const suites = (parseJunit(xml).testsuites as Node);
    assert.deepStrictEqual([suites.name, suites.tests, suites.failures, suites.errors, suites.skipped], ['impervious-events', '4', '2', '0', '1']);
    const [a, b] = suites.testsuite as Node[];
    assert.deepStrictEqual([a!.name, a!.tests, a!.failures, a!.skipped, a!.time], ['requests/a.imp', '3', '1', '1', '1.234']);
    const [ping, follow, later] = a!.testcase as Node[];

    assert.deepStrictEqual([ping!.name, ping!.classname, ping!.line, ping!.time], ['ping', 'requests/a.imp', '2', '0.820']);
    assert.strictEqual(ping!.failure, undefined);
    assert.strictEqual(ping!['system-out'], 'sent: id-ping\nreply: reply-ping');

    assert.deepStrictEqual([follow!.name, follow!.time], ['follow', '0.015']);
    const failure = follow!.failure as Node;
    assert.strictEqual(failure.type, 'expectation');
    assert.strictEqual(failure.message, 'reply.data: expected "pong", got "re: ping"');
    const body = failure['#text'] as string;
    assert.match(body, /^line 14: reply\.data: expected "pong", got "re: ping"\nexpected: "pong"\nactual: "re: ping"\n\nline 15: /);
    // Markup in peer text stays text; characters XML cannot hold are shown, not dropped or raw.
    assert.ok(body.includes('got "<b>&amp;</b>" \\u0007\\u001b[31m'), body);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml), 'no raw control character in the XML');

    assert.deepStrictEqual(later!.skipped, { message: 'not run: --bail stopped the run at a failure' });
    assert.strictEqual(later!['system-out'], undefined);

    assert.strictEqual(b!.name, 'b, c.imp');
    const sendFailure = (b!.testcase as Node[])[0]!.failure as Node;
    assert.deepStrictEqual([sendFailure.type, sendFailure.message, sendFailure['#text']], ['send', 'send failed: the node answered HTTP 503', 'send failed: the node answered HTTP 503']);
  });

  it('JSON: every block\'s result, IDs, latencies and failures, with the counts and the exit code', () => {
    const report = JSON.parse(jsonReport(FILES, 1));
    assert.deepStrictEqual([report.version, report.passed, report.failed, report.skipped, report.exitCode], [1, 1, 2, 1, 1]);
    assert.deepStrictEqual(report.files[0].blocks[1].failedExpectations[0], { expectation: 0, line: 14, text: 'reply.data: expected "pong", got "re: ping"', expected: '"pong"', actual: '"re: ping"' });
    assert.deepStrictEqual([report.files[0].blocks[0].id, report.files[0].blocks[0].replyId, report.files[0].blocks[0].latencyMs], ['id-ping', 'reply-ping', 820]);
  });

  it('GitHub annotations: an ::error at each failed expectation\'s line, else at the block, escaped as the runner reads them', () => {
    const lines = failureAnnotations(FILES).map((annotation) => annotationLine(annotation));
    assert.deepStrictEqual(lines, [
      '::error file=requests/a.imp,line=14,title=follow failed::reply.data: expected "pong", got "re: ping"',
      `::error file=requests/a.imp,line=15,title=follow failed::got "<b>&amp;</b>" \u0007\u001b[31m%0D%0Aline`,
      '::error file=b%2C c.imp,line=1,title=#1 failed::send failed: the node answered HTTP 503',
    ]);
    assert.strictEqual(annotationLine({ file: 'a.imp', line: 3, column: 7, title: 'x: y', message: '100% sure' }, 'warning'), '::warning file=a.imp,line=3,col=7,title=x%3A y::100%25 sure');
  });

  it('the closing line: N passed, M failed, and skipped only when some were', () => {
    assert.strictEqual(summaryLine(countBlocks(FILES)), '1 passed, 2 failed, 1 skipped');
    assert.strictEqual(summaryLine({ passed: 3, failed: 0, skipped: 0 }), '3 passed, 0 failed');
  });
});
