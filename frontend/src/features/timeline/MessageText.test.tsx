import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageText } from './MessageText';

function show(text: string) {
  const { container } = render(<MessageText text={text} />);
  const root = container.querySelector('.message__text');
  if (!root) throw new Error('no message text');
  return root;
}

describe('MessageText', () => {
  it('shows plain text as one paragraph, as typed', () => {
    expect(show('hello  there').innerHTML).toBe('<p>hello  there</p>');
  });

  it('draws emoji as Twemoji images whose alt is the emoji', () => {
    const root = show('hello 😀, **🇫🇷** and 👨‍👩‍👧‍👦');
    const images = [...root.querySelectorAll('img.emoji')];
    expect(images.map((img) => img.getAttribute('alt'))).toEqual(['😀', '🇫🇷', '👨‍👩‍👧‍👦']);
    expect(images[0]).toHaveAttribute('src', expect.stringMatching(/^\/emoji\/[\d.]+\/1f600\.svg$/));
    expect(root.querySelector('strong img.emoji')).toHaveAttribute('alt', '🇫🇷');
    expect(root.querySelector('p')?.firstChild?.textContent).toBe('hello ');
    expect(root).not.toHaveClass('message__text--jumbo');
  });

  it('leaves emoji in inline code and code blocks as characters', () => {
    const root = show('`a 😀 b`\n\n```\nreturn "🎉";\n```');
    expect(root.querySelectorAll('img')).toHaveLength(0);
    expect(root.querySelector('p > code')).toHaveTextContent('a 😀 b');
    expect(root.querySelector('pre > code')).toHaveTextContent('return "🎉";');
  });

  it('draws a message of one to three emoji alone large', () => {
    expect(show('🎉 👍🏽')).toHaveClass('message__text--jumbo');
    expect(show('🎉🎉🎉🎉')).not.toHaveClass('message__text--jumbo');
  });

  it('never takes a typed markdown image for an emoji', () => {
    const root = show('![😀](https://example.com/x.svg)');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('a')).toHaveAttribute('href', 'https://example.com/x.svg');
  });

  it('keeps single line breaks and splits paragraphs on blank lines', () => {
    expect(show('one\ntwo\n\nthree').innerHTML).toBe('<p>one<br>two</p><p>three</p>');
  });

  it('renders bold, italics and strikethrough', () => {
    const root = show('**bold** _italic_ ~~gone~~ about ~5 minutes');
    expect(root.querySelector('strong')).toHaveTextContent('bold');
    expect(root.querySelector('em')).toHaveTextContent('italic');
    expect(root.querySelector('del')).toHaveTextContent('gone');
    expect(root.querySelectorAll('del')).toHaveLength(1);
  });

  it('renders bulleted and numbered lists and block quotes', () => {
    const root = show('- apples\n- pears\n\n1. first\n2. second\n\n> quoted\n> on');
    expect([...root.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual(['apples', 'pears']);
    expect([...root.querySelectorAll('ol > li')].map((li) => li.textContent)).toEqual(['first', 'second']);
    expect(root.querySelector('blockquote')?.innerHTML).toBe('<p>quoted<br>on</p>');
  });

  it('renders inline code and fenced code blocks with a language class and highlighting', () => {
    const root = show('run `npm test`\n\n```ts\nconst answer: number = 42;\n```');
    expect(root.querySelector('p > code')).toHaveTextContent('npm test');
    const block = root.querySelector('pre > code');
    expect(block).toHaveClass('hljs', 'language-ts');
    expect(block?.querySelector('.hljs-keyword')).toHaveTextContent('const');
    expect(block).toHaveTextContent('const answer: number = 42;');
  });

  it('highlights the registered languages by their usual names', () => {
    const root = show('```shell\nls -la\n```\n\n```py\ndef f(): pass\n```\n\n```cobol\nDISPLAY\n```');
    const blocks = [...root.querySelectorAll('pre > code')];
    expect(blocks.map((code) => code.className)).toEqual([
      'hljs language-shell',
      'hljs language-py',
      'hljs language-cobol',
    ]);
    expect(blocks[0]?.querySelector('[class^="hljs-"]')).not.toBeNull();
    expect(blocks[1]?.querySelector('.hljs-keyword')).toHaveTextContent('def');
    expect(blocks[2]?.children).toHaveLength(0); // not registered: plain text
  });

  it('turns links and bare addresses into links that open in a new tab without the opener', () => {
    const root = show(
      '[docs](https://example.com/docs) or https://example.org, www.example.net, me@example.com',
    );
    const links = screen.getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/docs',
      'https://example.org',
      'http://www.example.net',
      'mailto:me@example.com',
    ]);
    for (const link of links) {
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
    expect(root.textContent).toBe('docs or https://example.org, www.example.net, me@example.com');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JavaScript:alert(1))',
    '[x](java&#x73;cript:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox)',
    '[x](/relative)',
    '<javascript:alert(1)>',
  ])('shows %s as the text it is, not a link', (text) => {
    const root = show(text);
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toBe(text);
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">click me</a>',
    '<b onmouseover=alert(1)>caption</b>',
  ])('shows the HTML %s as text', (text) => {
    const root = show(text);
    expect(root.querySelectorAll('script, img, svg, a, b')).toHaveLength(0);
    expect(root.textContent).toBe(text);
  });

  it('shows an image as a link named by its alt text, never as an image', () => {
    const root = show('![a cat](https://example.com/cat.png) ![x](javascript:alert(1))');
    expect(root.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'a cat' })).toHaveAttribute(
      'href',
      'https://example.com/cat.png',
    );
    expect(root.textContent).toBe('a cat ![x](javascript:alert(1))');
  });

  it('leaves headings, rules, tables, task lists, indented code and reference definitions as text', () => {
    const text = '# Title\nsub\n---\n| a | b |\n|---|---|\n[ref]: https://example.com';
    const root = show(text);
    expect(root.querySelectorAll('h1, h2, hr, table')).toHaveLength(0);
    expect(root.innerHTML).toMatch(
      /^<p># Title<br>sub<br>---<br>\| a \| b \|<br>\|---\|---\|<br>\[ref\]: <a /,
    );
    expect(show('- [ ] todo').querySelector('input')).toBeNull();
    expect(show('    four spaces').querySelector('pre')).toBeNull();
  });

  it('keeps the edited marker on the last line', () => {
    render(<MessageText text="hi" suffix={<span className="message__edited">(edited)</span>} />);
    expect(screen.getByText('(edited)').previousElementSibling?.tagName).toBe('P');
  });
});
