import { describe, expect, it } from 'vitest';
import { decideContentType, isInlineSafe } from '../../../../src/core/files/content-type.js';

describe('decideContentType', () => {
  it('trusts the bytes over the declared type', () => {
    expect(decideContentType('image/png', 'text/html', Buffer.from('x'))).toBe('image/png');
  });

  it('keeps a declared textual type for text, and calls other text plain', () => {
    const html = Buffer.from('<script>alert(1)</script>');
    expect(decideContentType(undefined, 'text/html', html)).toBe('text/html');
    expect(decideContentType(undefined, 'image/svg+xml', Buffer.from('<svg/>'))).toBe('image/svg+xml');
    expect(decideContentType(undefined, 'image/png', Buffer.from('just text'))).toBe('text/plain');
  });

  it('recognises markup from its bytes whatever was declared, so it is never shown inline', () => {
    const cases: [string, string][] = [
      ['<!DOCTYPE html><html><body>hi</body></html>', 'text/html'],
      ['  \n<HTML>', 'text/html'],
      ['<script>alert(1)</script>', 'text/html'],
      ['<iframe src=x>', 'text/html'],
      ['<!-- comment --><b>x</b>', 'text/html'],
      ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml'],
      ['<?xml version="1.0"?><svg/>', 'image/svg+xml'],
      ['\uFEFF<html>', 'text/html'],
    ];
    for (const [text, type] of cases) {
      for (const declared of ['image/png', 'text/plain', 'application/pdf']) {
        const decided = decideContentType(undefined, declared, Buffer.from(text));
        expect(decided, `${JSON.stringify(text)} declared ${declared}`).toBe(type);
        expect(isInlineSafe(decided)).toBe(false);
      }
    }
    // Text that merely mentions a tag is still text.
    expect(decideContentType(undefined, 'text/plain', Buffer.from('use <b> for bold'))).toBe('text/plain');
    expect(decideContentType(undefined, 'text/plain', Buffer.from('<abbr>'))).toBe('text/plain');
  });

  it('calls unknown binary an opaque download', () => {
    expect(decideContentType(undefined, 'image/png', Buffer.from([0, 1, 2, 255]))).toBe(
      'application/octet-stream',
    );
  });
});

describe('isInlineSafe', () => {
  it('shows raster images and plain text inline, never markup or scripts', () => {
    expect(isInlineSafe('image/png')).toBe(true);
    expect(isInlineSafe('text/plain')).toBe(true);
    expect(isInlineSafe('video/mp4')).toBe(true);
    for (const type of [
      'text/html',
      'image/svg+xml',
      'application/javascript',
      'application/xml',
      'text/xml',
    ]) {
      expect(isInlineSafe(type)).toBe(false);
    }
  });
});
