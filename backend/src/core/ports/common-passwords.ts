/** The passwords everyone tries first: refused at sign-up and on a password change. */
export interface CommonPasswords {
  /** True when the password (compared case-insensitively) is on the list. */
  isCommon(password: string): boolean;
}

/** For tests of something else, and an instance that opts out. */
export const noCommonPasswords: CommonPasswords = { isCommon: () => false };
