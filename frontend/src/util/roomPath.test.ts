import { describe, expect, it } from 'vitest';
import { roomPath, roomSlugFromPath } from './roomPath';

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
});
