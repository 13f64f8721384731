import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** Compiled into out/test/unit/vscode/requests/. */
const root = path.resolve(__dirname, '../../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const ids = fs.readFileSync(path.join(root, 'src/vscode/contributionIds.ts'), 'utf8');

interface WalkthroughStep {
  readonly id: string;
  readonly media: { readonly svg?: string; readonly image?: unknown; readonly altText: string };
  readonly completionEvents: readonly string[];
}

describe("the request files' contributions", () => {
  it('contributes the impervious language for .imp files, its grammar and its configuration', () => {
    const language = manifest.contributes.languages.find((candidate: { id: string }) => candidate.id === 'impervious');
    assert.deepStrictEqual(language.extensions, ['.imp']);
    const grammar = manifest.contributes.grammars.find((candidate: { language: string }) => candidate.language === 'impervious');
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(root, grammar.path), 'utf8')).scopeName, grammar.scopeName);
    assert.ok(fs.existsSync(path.join(root, language.configuration)));
    assert.ok(manifest.activationEvents.includes('onLanguage:impervious'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:**/*.imp'));
  });

  it('packs the grammar, the language configuration and the walkthrough pictures', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const pattern of ['!syntaxes/*.json', '!language-configuration.json', '!media/walkthrough/*.svg']) {
      assert.ok(ignore.includes(pattern), pattern);
    }
  });

  it('has a walkthrough of at most five steps, with theme-coloured pictures that exist', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    const steps: WalkthroughStep[] = walkthrough.steps;
    assert.ok(steps.length >= 1 && steps.length <= 5, `${steps.length} steps`);
    for (const step of steps) {
      assert.ok(step.media.svg, `${step.id} has an SVG`);
      const svg = fs.readFileSync(path.join(root, step.media.svg), 'utf8');
      // Colours come from the workbench's theme, so one picture reads in light and dark themes.
      assert.ok(/var\(--vscode-editor-background/.test(svg) && /var\(--vscode-editor-foreground/.test(svg), `${step.media.svg} uses theme colours`);
      assert.ok(!/fill="#|stroke="#/.test(svg), `${step.media.svg} has no fixed colour`);
      assert.ok(step.media.altText.length > 0);
      assert.ok(step.completionEvents.length > 0, `${step.id} completes on an event`);
    }
  });

  it('completes "send and check" when a reply arrives, not on the click, through a context key the code sets', () => {
    const steps: WalkthroughStep[] = manifest.contributes.walkthroughs[0].steps;
    const sendAndCheck = steps.find((step) => step.id === 'sendAndCheck')!;
    assert.deepStrictEqual(sendAndCheck.completionEvents, ['onContext:impervious.requestReplied']);
    const hover = steps.find((step) => step.id === 'hoverId')!;
    assert.deepStrictEqual(hover.completionEvents, ['onContext:impervious.requestValueHovered']);
    for (const key of ['impervious.requestReplied', 'impervious.requestValueHovered']) {
      assert.ok(ids.includes(`'${key}'`), `${key} is a ContextKey`);
    }
  });
});
