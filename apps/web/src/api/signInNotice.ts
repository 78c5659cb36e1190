/** Why the sign-in page is showing (a session that ended, a `#token=` link that failed), once. */
let notice: string | null = null;

export function setSignInNotice(text: string): void {
  notice = text;
}

export function peekSignInNotice(): string | null {
  return notice;
}

export function clearSignInNotice(): void {
  notice = null;
}
