import { describe, expect, it } from 'vitest';
import { permalinkFromPath, permalinkPath } from './permalinkPath';
import { roomSlugFromPath } from './roomPath';

describe('permalinks', () => {
  it('round-trip a room slug and a message id', () => {
    const path = permalinkPath('general', '0190f0f0-0000-7000-8000-000000000000');
    expect(path).toBe('/r/general/m/0190f0f0-0000-7000-8000-000000000000');
    expect(permalinkFromPath(path)).toEqual({
      slug: 'general',
      messageId: '0190f0f0-0000-7000-8000-000000000000',
    });
    expect(roomSlugFromPath(path)).toBe('general');
  });

  it('are not room links or other paths', () => {
    expect(permalinkFromPath('/r/general')).toBeUndefined();
    expect(permalinkFromPath('/r/general/m/')).toBeUndefined();
    expect(permalinkFromPath('/admin/audit-log')).toBeUndefined();
    expect(roomSlugFromPath('/r/general/x/1')).toBeUndefined();
  });
});
