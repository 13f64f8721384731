/** What is wrong with a query, and where: `position` is a 0-based offset into the text as given. */
export interface QueryError {
  readonly position: number;
  readonly length: number;
  /** Says what was expected, e.g. "expected a value after 'amount>'". */
  readonly message: string;
}
