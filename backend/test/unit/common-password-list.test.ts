import { describe, expect, it } from 'vitest';
import { CommonPasswordList } from '../../src/security/common-password-list.js';

describe('the common password list', () => {
  const list = new CommonPasswordList();

  it('knows the passwords everyone tries, in any case', () => {
    for (const password of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'Password', 'PASSWORD1'])
      expect(list.isCommon(password), password).toBe(true);
  });

  it('lets other passwords through', () => {
    for (const password of ['correct horse battery staple', 'pw-5f1e3a9c7b-long', 'Zürich in the rain 2026'])
      expect(list.isCommon(password), password).toBe(false);
  });
});
