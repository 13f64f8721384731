import * as assert from 'assert';
import { escapeMarkdown } from '../../../../src/core/text/safeText';
import { messageTooltipMarkdown } from '../../../../src/vscode/messages/messageMarkdown';
import { nodeMessage } from '../../helpers/messages';

const HOSTILE = '[click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> \u202Eevil\u202C';

describe('messageMarkdown', () => {
  it('escapes peer text in tooltips so nothing becomes a link, HTML or a command', () => {
    const markdown = messageTooltipMarkdown(nodeMessage({ id: 'a', data: Buffer.from(HOSTILE), serviceType: '[x](command:y)' }));
    assert.doesNotMatch(markdown, /\]\(command:/);
    assert.doesNotMatch(markdown, /(?<!\\)<img/, 'no raw HTML');
    assert.doesNotMatch(markdown, /\u202E/);
    assert.match(markdown, /\\\[click me\\\]\\\(command\\:workbench/);
    assert.strictEqual(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
  });
});
