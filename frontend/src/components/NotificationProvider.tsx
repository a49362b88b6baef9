import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { ReactNode } from "react";
import { createPortal } from "react-dom";
import type { Outcome } from "../api/types";
import { OutcomeNotice } from "./OutcomeNotice";

interface Entry {
  id: number;
  outcome: Outcome;
}

type Notify = (outcome: Outcome) => void;

const NotifyContext = createContext<Notify>(() => undefined);
interface Areas {
  add: (node: HTMLElement) => void;
  remove: (node: HTMLElement) => void;
}
/** Layout (the top of the page content) and an open dialog (its foot) offer notice areas. */
const AreaContext = createContext<Areas>({ add: () => undefined, remove: () => undefined });

/** Success notices fade after this long; amber and red ones stay until dismissed. */
const SUCCESS_MS = 8000;
/** At most this many notices are kept; the oldest go first. */
const MAX_NOTICES = 4;

/**
 * The change results. They sit in the page's own flow, in the newest area marked with
 * ``useNoticeArea`` (the top of the page content, or the foot of an open dialog, whose
 * answer it is), so they never cover a button: an amber or red notice scrolls itself into
 * view instead. Newest first; a newer result of the same change replaces the older one;
 * "Dismiss all" clears a stack of two or more.
 */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [areaList, setAreaList] = useState<HTMLElement[]>([]);
  const nextId = useRef(1);
  const section = useRef<HTMLElement>(null);
  const area = areaList[areaList.length - 1] ?? null;
  const areas = useMemo<Areas>(
    () => ({
      add: (node) => setAreaList((list) => [...list.filter((n) => n !== node), node]),
      remove: (node) => setAreaList((list) => list.filter((n) => n !== node)),
    }),
    [],
  );
  const newest = entries[0];
  useEffect(() => {
    if (newest && newest.outcome.kind !== "success") {
      section.current?.scrollIntoView?.({ block: "nearest" });
    }
  }, [newest, area]);

  const dismiss = useCallback((id: number) => {
    setEntries((list) => list.filter((e) => e.id !== id));
  }, []);

  const notify = useCallback<Notify>(
    (outcome) => {
      const id = nextId.current++;
      setEntries((list) =>
        [{ id, outcome }, ...list.filter((e) => e.outcome.title !== outcome.title)].slice(
          0,
          MAX_NOTICES,
        ),
      );
      if (outcome.kind === "success") window.setTimeout(() => dismiss(id), SUCCESS_MS);
    },
    [dismiss],
  );

  const region = (
    <section
      className="notifications"
      aria-label="Change results"
      hidden={entries.length === 0}
      ref={section}
    >
      {entries.length > 1 && (
        <div className="notifications-head">
          <button
            type="button"
            className="button-small button-secondary"
            onClick={() => setEntries([])}
          >
            Dismiss all
          </button>
        </div>
      )}
      {entries.map((entry) => (
        <OutcomeNotice key={entry.id} outcome={entry.outcome} onDismiss={() => dismiss(entry.id)} />
      ))}
    </section>
  );

  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={value}>
      <AreaContext.Provider value={areas}>
        {children}
        {area ? createPortal(region, area) : region}
      </AreaContext.Provider>
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(NotifyContext);
}

/** A ref for an element to show the notices in while it is mounted (the newest wins). */
export function useNoticeArea(): (node: HTMLElement | null) => void {
  const { add, remove } = useContext(AreaContext);
  const current = useRef<HTMLElement | null>(null);
  return useCallback(
    (node: HTMLElement | null) => {
      if (current.current) remove(current.current);
      current.current = node;
      if (node) add(node);
    },
    [add, remove],
  );
}
