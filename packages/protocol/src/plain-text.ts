/**
 * A message's markdown as the plain text a notification shows: the words without the marks
 * (`**`, `_`, `~~`, backticks, fences, `>`), links as their text. Notifications render no
 * markup, so nothing here can inject any; this only makes the text read well. Shared by the
 * web app's desktop notifications and the server's Web Push, so both read the same.
 */
export function plainText(markdown: string, maxLength = 160): string {
  const text = markdown
    .replace(/^(```|~~~)[^\n]*$/gm, '') // fence lines (the code inside stays)
    .replace(/!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, (_all, label: string, url: string) => label || url)
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?![\w*])/g, '$1$2')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '• ')
    .replace(/\s+/g, ' ')
    .trim();
  const points = [...text];
  return points.length > maxLength ? `${points.slice(0, maxLength - 1).join('')}…` : text;
}
