import { describe, expect, it } from 'vitest';
import { isAuditLogPath, isDeadLettersPath, roomPath, roomSlugFromPath } from './roomPath';

describe('room deep links', () => {
  it('reads the slug of /r/<slug>, with or without a trailing slash, folded to lower case', () => {
    expect(roomSlugFromPath('/r/general')).toBe('general');
    expect(roomSlugFromPath('/r/Design-Team/')).toBe('design-team');
  });

  it('ignores other paths and malformed escapes', () => {
    expect(roomSlugFromPath('/')).toBeUndefined();
    expect(roomSlugFromPath('/r/')).toBeUndefined();
    expect(roomSlugFromPath('/r/a/b')).toBeUndefined();
    expect(roomSlugFromPath('/r/%E0%A4%A')).toBeUndefined();
  });

  it('round-trips a slug', () => {
    expect(roomSlugFromPath(roomPath('ops-oncall'))).toBe('ops-oncall');
  });

  it('tells the admin pages apart from the API paths next to them', () => {
    expect(isAuditLogPath('/admin/audit-log')).toBe(true);
    expect(isAuditLogPath('/admin/audit-log/')).toBe(true);
    expect(isAuditLogPath('/admin/audit')).toBe(false);
    expect(isDeadLettersPath('/admin/audit-log')).toBe(false);
  });
});
