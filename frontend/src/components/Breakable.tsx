import { Fragment } from "react";

/**
 * A DNS name or an e-mail address that may wrap only after a dot or an @ (and, as always,
 * after a hyphen), never in the middle of a label: "www.<wbr>example.<wbr>com".
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[.@])/);
  return (
    <span className="breakable">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
