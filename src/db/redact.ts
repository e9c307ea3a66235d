/** A database URL safe to print: the password, if any, replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of ['password', 'sslpassword', 'sslkey']) {
      if (parsed.searchParams.has(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not a URL we can parse (a libpq key=value string, a bad port, say): print nothing of it that
    // could hold a secret: no user information (up to the last `@`), no password parameter.
    return url
      .replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1***@')
      .replace(/password\s*=\s*\S+/gi, 'password=***');
  }
}
