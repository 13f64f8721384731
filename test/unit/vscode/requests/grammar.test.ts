import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

interface Rule {
  readonly match?: string;
  readonly begin?: string;
  readonly include?: string;
  readonly name?: string;
  readonly patterns?: Rule[];
  readonly captures?: Record<string, Rule>;
}

interface Grammar {
  readonly scopeName: string;
  readonly patterns: Rule[];
  readonly repository: Record<string, Rule>;
}

const root = path.resolve(__dirname, '../../../../..');
const grammar = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes/impervious.tmLanguage.json'), 'utf8')) as Grammar;

/** Oniguruma's `(?i:…)` has no JS spelling; the rest of these patterns read the same in both. */
function jsRegex(source: string): RegExp {
  return source.includes('(?i:') ? new RegExp(source.replace(/\(\?i:/g, '(?:'), 'i') : new RegExp(source);
}

function rules(rule: Rule): Rule[] {
  return [rule, ...(rule.patterns ?? []).flatMap(rules), ...Object.values(rule.captures ?? {}).flatMap(rules)];
}

describe('impervious TextMate grammar', () => {
  const all = [...grammar.patterns, ...Object.values(grammar.repository)].flatMap(rules);

  it('is source.impervious, and every include names a rule it has', () => {
    assert.strictEqual(grammar.scopeName, 'source.impervious');
    const missing = all.flatMap((rule) => (rule.include && !grammar.repository[rule.include.slice(1)] ? [rule.include] : []));
    assert.deepStrictEqual(missing, []);
  });

  it('has only patterns that compile', () => {
    for (const rule of all) {
      for (const source of [rule.match, rule.begin]) {
        if (source !== undefined) {
          assert.doesNotThrow(() => jsRegex(source), source);
        }
      }
    }
  });

  it('tells the lines of a request file apart', () => {
    const first = (line: string): string | undefined =>
      grammar.patterns.map((rule) => grammar.repository[rule.include!.slice(1)]!).find((rule) => rule.match !== undefined && jsRegex(rule.match).test(line))?.name;
    assert.strictEqual(first('### ping alice'), 'meta.separator.impervious');
    assert.strictEqual(first('# @name ping'), 'meta.annotation.impervious');
    assert.strictEqual(first('# just a note'), 'comment.line.impervious');
    assert.strictEqual(first('@alice = 03ab'), 'meta.definition.variable.impervious');
    assert.strictEqual(first('SEND {{alice}}'), 'meta.request.impervious');
    assert.strictEqual(first('reply-to: {{ping.reply.id}}'), 'meta.header.impervious');
    assert.strictEqual(first('> expect reply.json.status == "ok"'), 'meta.expect.impervious');
    assert.strictEqual(first('{"type":"status"}'), undefined, 'a body line falls to the body patterns');
    assert.deepStrictEqual(jsRegex(grammar.repository.reference!.match!).exec('of {{ ping.id }}!')?.slice(1), ['{{', 'ping.id', undefined, undefined, '}}']);
    assert.deepStrictEqual(jsRegex(grammar.repository.reference!.match!).exec('{"heard":{{ping.reply.data | json}}}')?.slice(1), ['{{', 'ping.reply.data', '|', 'json', '}}']);
  });

  it('comes with a language configuration: # comments and {{ }} brackets', () => {
    const configuration = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8')) as { comments: { lineComment: string }; brackets: string[][] };
    assert.strictEqual(configuration.comments.lineComment, '#');
    assert.ok(configuration.brackets.some(([open, close]) => open === '{{' && close === '}}'));
  });
});
