import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import type { Outcome } from "../api/types";
import { OutcomeNotice } from "./OutcomeNotice";

interface Entry {
  id: number;
  outcome: Outcome;
}

type Notify = (outcome: Outcome) => void;

const NotifyContext = createContext<Notify>(() => undefined);

/** Success notices fade after this long; amber and red ones stay until dismissed. */
const SUCCESS_MS = 8000;

export function NotificationProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setEntries((list) => list.filter((e) => e.id !== id));
  }, []);

  const notify = useCallback<Notify>(
    (outcome) => {
      const id = nextId.current++;
      setEntries((list) => [{ id, outcome }, ...list].slice(0, 5));
      if (outcome.kind === "success") window.setTimeout(() => dismiss(id), SUCCESS_MS);
    },
    [dismiss],
  );

  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <section className="notifications" aria-label="Change results">
        {entries.map((entry) => (
          <OutcomeNotice
            key={entry.id}
            outcome={entry.outcome}
            onDismiss={() => dismiss(entry.id)}
          />
        ))}
      </section>
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(NotifyContext);
}
