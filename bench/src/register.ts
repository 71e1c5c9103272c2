/** The one account registered through the API (the first account: admin, in #general); it sends in fan-out. */
export const ADMIN = { username: 'bench-admin', password: 'bench-password-1' };

/** POST /auth/register as ADMIN; answers its bearer token. */
export async function registerAdmin(origin: string): Promise<string> {
  const res = await fetch(`${origin}/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
