// `--junit FILE`: JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): a
// `testsuite` per request file, a `testcase` per block with its reply latency as `time`, a
// `failure` with the failed expectation and expected/actual, `skipped` for blocks not run, and the
// sent and reply IDs in `system-out`.
import { countBlocks, type BlockReport, type FileReport } from './runReport';

export function junitXml(files: readonly FileReport[]): string {
  const total = countBlocks(files);
  const seconds = files.reduce((sum, file) => sum + file.elapsedMs, 0) / 1000;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="impervious-events" tests="${total.passed + total.failed + total.skipped}" failures="${total.failed}" errors="0" skipped="${total.skipped}" time="${seconds.toFixed(3)}">`,
  ];
  for (const file of files) {
    const counts = countBlocks([file]);
    lines.push(
      `  <testsuite name="${attribute(file.file)}" tests="${file.blocks.length}" failures="${counts.failed}" errors="0" skipped="${counts.skipped}" time="${(file.elapsedMs / 1000).toFixed(3)}" file="${attribute(file.file)}">`,
    );
    for (const block of file.blocks) {
      lines.push(...testCase(file.file, block));
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testCase(file: string, block: BlockReport): string[] {
  const open = `    <testcase name="${attribute(block.name)}" classname="${attribute(file)}" file="${attribute(file)}" line="${block.line}" time="${((block.latencyMs ?? 0) / 1000).toFixed(3)}"`;
  const children: string[] = [];
  if (block.status === 'skipped') {
    children.push(`      <skipped message="${attribute(block.skipped ?? 'not run')}"/>`);
  } else if (block.status === 'failed') {
    const first = block.failedExpectations[0];
    const message = first?.text ?? block.failures[0] ?? 'failed';
    const body = block.failedExpectations.length > 0
      ? block.failedExpectations.map((failure) => [`line ${failure.line}: ${failure.text}`, ...(failure.expected !== undefined ? [`expected: ${failure.expected}`, `actual: ${failure.actual ?? ''}`] : [])].join('\n')).join('\n\n')
      : block.failures.join('\n');
    children.push(`      <failure message="${attribute(message)}" type="${block.failedExpectations.length > 0 ? 'expectation' : 'send'}">${text(body)}</failure>`);
  }
  const out = [block.id !== undefined ? `sent: ${block.id}` : undefined, block.replyId !== undefined ? `reply: ${block.replyId}` : undefined].filter((line) => line !== undefined);
  if (out.length > 0) {
    children.push(`      <system-out>${text(out.join('\n'))}</system-out>`);
  }
  return children.length === 0 ? [`${open}/>`] : [`${open}>`, ...children, '    </testcase>'];
}

/**
 * Characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE/U+FFFF, lone surrogates) become
 * visible `\uXXXX`: a peer's bytes in a failure text must not make the report unreadable.
 */
function xmlSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute's value: line breaks and tabs as character references, so they survive attribute normalisation. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
