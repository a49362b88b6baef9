import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readRecordSettings } from "../api/ptr";

/** Record types whose changes can keep a PTR in step. */
export const ADDRESS_TYPES = ["A", "AAAA"];

/**
 * The per-change PTR choice for an A/AAAA record, starting from Settings > Record defaults.
 * Returns the value to send (undefined for other types) and the checkbox to show.
 */
export function usePtrChoice(type: string) {
  const defaults = useQuery({ queryKey: keys.recordSettings, queryFn: readRecordSettings });
  const [chosen, setChosen] = useState<boolean | null>(null);
  const applies = ADDRESS_TYPES.includes(type);
  const on = chosen ?? defaults.data?.auto_ptr ?? false;
  const checkbox = applies ? (
    <fieldset className="checks">
      <legend className="sr-only">Reverse DNS</legend>
      <label>
        <input type="checkbox" checked={on} onChange={(e) => setChosen(e.target.checked)} />
        Keep the PTR record in the reverse zone in step
      </label>
    </fieldset>
  ) : null;
  return { ptr: applies ? on : undefined, checkbox };
}
