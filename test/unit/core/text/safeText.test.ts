import * as assert from 'assert';
import { escapeMarkdown, labelText, logText, markdownText, notificationText, promptText, wellFormed } from '../../../../src/core/text/safeText';

/** What peers and nodes have been seen to send, or could. */
const HOSTILE = {
  commandLink: 'did:[Fix Now](command:impervious.sendMessage?%7B%22pubkey%22%3A%2203ab%22%2C%22amount%22%3A100000%7D)',
  webLink: 'route failed: [Open Fix](https://evil.example/fix "title")',
  spacedLink: 'key expired: [Re-authenticate] (command:workbench.action.terminal.new)',
  forgedLine: 'ok\n[2026-12-01 07:00:00.000] [info] [Local node] connected: forged',
  separators: 'a\r\nb\u2028c\u2029d\u0085e',
  heading: '# heading\n=====\n> quote',
  html: '<img src=x onerror=alert(1)><b>bold</b>&amp;',
  backticks: '`code` ```fence```',
  bidi: 'abc\u202Egnp.exe\u202C\u2066x\u2069\u200F',
  icon: '$(alert) $(sync~spin) urgent',
  loneSurrogates: 'a\uD800b\uDC00c\uD83D',
  controls: 'nul\u0000bel\u0007esc\u001b[31mred\u007fdel\u009b',
};

/** The link shapes VS Code's notification parser turns into anchors (its own regular expression). */
const VS_CODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

function assertWellFormed(text: string): void {
  assert.strictEqual(wellFormed(text), text, 'no lone surrogate');
}

describe('safeText', () => {
  describe('notificationText', () => {
    it('never leaves link syntax that VS Code renders as a link or a command', () => {
      for (const [name, text] of Object.entries(HOSTILE)) {
        const safe = notificationText(text);
        assert.strictEqual(safe.match(VS_CODE_LINK), null, `${name}: ${safe}`);
        assert.doesNotMatch(safe, /\]\s*\(/, name);
      }
      assert.match(notificationText(HOSTILE.commandLink), /^did:\[Fix Now\]\u200b\(command:impervious\.sendMessage/, 'the text stays readable');
    });
    it('keeps the text on one line, without controls or bidi overrides, and bounded', () => {
      for (const text of [HOSTILE.forgedLine, HOSTILE.separators, HOSTILE.bidi, HOSTILE.controls]) {
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(notificationText(text), /[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/);
      }
      assert.strictEqual(notificationText('z'.repeat(1 << 20)).length, 300);
      assert.strictEqual(notificationText('z'.repeat(1000), 50).length, 50);
    });
    it('leaves no lone surrogate, including where it cuts a pair in half', () => {
      assertWellFormed(notificationText(HOSTILE.loneSurrogates));
      assertWellFormed(notificationText('😀'.repeat(500), 100));
      assert.ok(notificationText('😀'.repeat(500), 100).endsWith('😀…'));
    });
  });

  describe('markdownText', () => {
    it('escapes every character that can start Markdown or HTML structure', () => {
      for (const [name, text] of Object.entries(HOSTILE)) {
        const safe = markdownText(text);
        // Every structural character is preceded by a backslash (which is itself escaped).
        assert.doesNotMatch(safe.replace(/\\[\s\S]/g, ''), /[[\]()<>#`*_&!|~$]/, `${name}: ${safe}`);
        assert.doesNotMatch(safe, /\n/, name);
      }
      assert.strictEqual(markdownText('# heading'), '\\# heading');
      assert.strictEqual(markdownText('<img src=x>'), '\\<img src\\=x\\>');
      assert.strictEqual(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
      assert.match(markdownText(HOSTILE.commandLink), /^did\\:\\\[Fix Now\\\]\\\(command\\:/);
    });
    it('is bounded before escaping, whatever the input length', () => {
      const safe = markdownText('['.repeat(1 << 20), 300);
      assert.ok(safe.length <= 600, `${safe.length} characters`);
      assertWellFormed(markdownText(HOSTILE.loneSurrogates));
    });
  });

  describe('labelText', () => {
    it('is one clean line, bounded', () => {
      assert.strictEqual(labelText(HOSTILE.forgedLine, 200), 'ok [2026-12-01 07:00:00.000] [info] [Local node] connected: forged');
      assert.strictEqual(labelText(HOSTILE.bidi), 'abcgnp.exex');
      assert.strictEqual(labelText('y'.repeat(1 << 20)).length, 80);
      assert.strictEqual(labelText('   '), '');
      assertWellFormed(labelText(HOSTILE.loneSurrogates));
    });
  });

  describe('promptText', () => {
    it('escapes icon syntax, which quick picks, input boxes and the status bar render', () => {
      assert.strictEqual(promptText(HOSTILE.icon), '\\$(alert) \\$(sync~spin) urgent');
      assert.doesNotMatch(promptText(HOSTILE.forgedLine, 500), /\n/);
      assert.strictEqual(promptText('p'.repeat(1 << 20)).length, 120);
    });
  });

  describe('logText', () => {
    it('keeps a line from peer text one line: separators and controls show as escapes', () => {
      assert.strictEqual(logText(HOSTILE.forgedLine), 'ok\\n[2026-12-01 07:00:00.000] [info] [Local node] connected: forged');
      assert.strictEqual(logText(HOSTILE.separators), 'a\\r\\nb\\u2028c\\u2029d\\u0085e');
      assert.strictEqual(logText(HOSTILE.bidi), 'abc\\u202egnp.exe\\u202c\\u2066x\\u2069\\u200f');
      assert.strictEqual(logText('tab\there'), 'tab\\there');
      for (const text of Object.values(HOSTILE)) {
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(logText(text), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }
    });
    it('is bounded and well formed', () => {
      assert.strictEqual(logText('\n'.repeat(1 << 20), 100).length, 100);
      assert.strictEqual(logText('l'.repeat(1 << 20)).length, 500);
      assert.strictEqual(logText(HOSTILE.loneSurrogates), 'a\ufffdb\ufffdc\ufffd');
    });
  });

  it('makes a 4 MiB line of links short and inert on every surface', () => {
    const huge = '[x](command:y) '.repeat(300_000);
    for (const surface of [notificationText, markdownText, labelText, promptText, logText]) {
      const safe = surface(huge);
      assert.ok(safe.length <= 1000, `${surface.name}: ${safe.length}`);
    }
    // Labels, prompts and the log render no links; the surfaces that do get none.
    assert.strictEqual(notificationText(huge).match(VS_CODE_LINK), null);
    assert.strictEqual(markdownText(huge).match(/(?<!\\)\]\(/), null);
  });
});
