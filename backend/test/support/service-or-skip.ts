/**
 * Tests that need a service of their own (PostgreSQL, Redis…) start it through here: in CI
 * (`CI=true`) a service that cannot start fails the file; elsewhere the file's tests skip, with a
 * banner nobody can miss.
 */

/** The service cannot run on this machine (not installed, no user to run it as…). */
export class ServiceUnavailableError extends Error {}

export async function startOrSkip<T>(
  service: string,
  testFile: string,
  start: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await start();
  } catch (error) {
    if (process.env.CI === 'true' || !(error instanceof ServiceUnavailableError)) throw error;
    const line = '!'.repeat(100);
    console.warn(
      `\n${line}\n! SKIPPING the ${service} tests of ${testFile}: ${error.message}\n` +
        `! They run (and must pass) in CI, where CI=true makes this a failure.\n${line}\n`,
    );
    return undefined;
  }
}
