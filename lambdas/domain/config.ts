// Configuration is read once, at start-up: a missing setting fails the cold start with a
// message that names it, not the hundredth request.
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
