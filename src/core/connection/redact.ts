/** Replaces every occurrence of a secret in text meant for a log, a status or an error message. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) {
    return text;
  }
  return text.split(secret).join('•••');
}
