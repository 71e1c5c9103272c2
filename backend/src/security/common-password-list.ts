/**
 * The 49,000 most common passwords of zxcvbn-ts's maintained list (`passwords-common`, drawn
 * from leaked password sets), held as one Set the first time a password is checked.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswords } from '../core/ports/common-passwords.js';

export class CommonPasswordList implements CommonPasswords {
  private list: Set<string> | undefined;

  isCommon(password: string): boolean {
    this.list ??= new Set((dictionary['passwords-common'] as string[]).map((entry) => entry.toLowerCase()));
    return this.list.has(password.toLowerCase());
  }
}
