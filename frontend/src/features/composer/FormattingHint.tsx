/** The chat markdown one may type, shown under the composer when asked for ("Aa"). */
export function FormattingHint({ id }: { id: string }) {
  return (
    <ul id={id} className="format-hint" aria-label="Formatting">
      <li>
        <code>**bold**</code> <strong>bold</strong>
      </li>
      <li>
        <code>_italic_</code> <em>italic</em>
      </li>
      <li>
        <code>~~strike~~</code> <del>strike</del>
      </li>
      <li>
        <code>`code`</code>
      </li>
      <li>
        <code>```block```</code>
      </li>
      <li>
        <code>&gt; quote</code>
      </li>
      <li>
        <code>@name</code> mention
      </li>
      <li>
        <code>:smile:</code> emoji
      </li>
    </ul>
  );
}
