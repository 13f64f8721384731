// GitHub Actions workflow commands (`--reporter github`, or GITHUB_ACTIONS=true): an `::error` at
// each failing block, on the line of the expectation that failed, so the run's summary and the
// pull request's diff show it where it is.
import type { FileReport } from './runReport';

export interface Annotation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column?: number;
  readonly title: string;
  readonly message: string;
}

/** One `::error` line per failure of each failed block. */
export function failureAnnotations(files: readonly FileReport[]): Annotation[] {
  const annotations: Annotation[] = [];
  for (const file of files) {
    for (const block of file.blocks) {
      if (block.status !== 'failed') {
        continue;
      }
      if (block.failedExpectations.length > 0) {
        for (const failure of block.failedExpectations) {
          annotations.push({ file: file.file, line: failure.line, title: `${block.name} failed`, message: failure.text });
        }
      } else {
        annotations.push({ file: file.file, line: block.line, title: `${block.name} failed`, message: block.failures.join('; ') || 'failed' });
      }
    }
  }
  return annotations;
}

/** `::error file=a.imp,line=12,title=ping failed::reply.data: expected "a", got "b"` */
export function annotationLine(annotation: Annotation, level: 'error' | 'warning' = 'error'): string {
  const properties = [`file=${property(annotation.file)}`, `line=${annotation.line}`, ...(annotation.column !== undefined ? [`col=${annotation.column}`] : []), `title=${property(annotation.title)}`];
  return `::${level} ${properties.join(',')}::${data(annotation.message)}`;
}

/** The escapes GitHub's runner reads back in a command's message. */
function data(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** In a property, `:` and `,` end it: they are escaped too. */
function property(value: string): string {
  return data(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
