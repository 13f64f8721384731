import * as l10n from '@vscode/l10n';
import { isNodePubkey } from '../messageIds';
import { cycleProblems } from './dependencies';
import { checkReferences, shown } from './references';
import type { RequestFile, RequestProblem } from './requestFile';
import { nodeProblem } from './runner';

export interface DiagnosticContext {
  readonly nodeNames: readonly string[];
  readonly minimumAmount: (bytes: number) => bigint;
}

/**
 * Every problem the editor shows for a file: the parser's, unknown variables and blocks, reference
 * cycles, `Node:` values that name no configured node, amounts below the node's minimum and SEND
 * variables that hold no pubkey. Values that only a run can know (block results) are not judged.
 */
export function requestDiagnostics(file: RequestFile, context: DiagnosticContext): RequestProblem[] {
  const problems = [...file.problems, ...checkReferences(file), ...cycleProblems(file)];
  for (const block of file.blocks) {
    const pubkey = block.pubkey;
    const only = pubkey?.references.length === 1 ? pubkey.references[0] : undefined;
    if (only?.target?.kind === 'variable' && only.length === pubkey!.text.length) {
      const value = file.variables.get(only.target.name)?.value;
      if (value !== undefined && !isNodePubkey(value)) {
        problems.push({ range: only.range, severity: 'error', message: l10n.t('Variable "{0}" holds "{1}", not a node pubkey', only.target.name, shown(value)) });
      }
    }
    for (const header of block.headers) {
      if (header.value.references.length > 0) {
        continue;
      }
      const value = header.value.text;
      if (header.name === 'Node') {
        const problem = nodeProblem(value, context.nodeNames);
        if (problem) {
          problems.push({ range: header.value.range, severity: 'error', message: problem });
        }
      } else if (header.name === 'Amount' && /^\d{1,18}$/.test(value) && !block.body?.references.length) {
        const minimum = context.minimumAmount(Buffer.byteLength(block.body?.text ?? '', 'utf8'));
        if (BigInt(value) < minimum) {
          problems.push({ range: header.value.range, severity: 'error', message: l10n.t("Amount {0} is below the node's minimum of {1} for this body", value, minimum.toString()) });
        }
      }
    }
  }
  return problems;
}
