import type { SVGProps } from 'react';

/** Icons of the threads feature, drawn like ui/Icons (24-unit grid, current colour stroke). */
function ThreadIcon({ d, ...props }: SVGProps<SVGSVGElement> & { d: string }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      <path d={d} />
    </svg>
  );
}

/** A speech bubble with a curl: "Reply in thread". */
export const ReplyInThreadIcon = (props: SVGProps<SVGSVGElement>) => (
  <ThreadIcon d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12ZM8.5 10.5h7M8.5 14h4.5" {...props} />
);

export const BackIcon = (props: SVGProps<SVGSVGElement>) => <ThreadIcon d="M15 18l-6-6 6-6" {...props} />;

export const CloseThreadIcon = (props: SVGProps<SVGSVGElement>) => (
  <ThreadIcon d="M6 6l12 12M18 6 6 18" {...props} />
);
