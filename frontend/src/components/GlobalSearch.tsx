import { useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router-dom";

/** Typing "/" anywhere but in a form field focuses the search box. */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The header's search box: zones and records of every zone the user may read. */
export function GlobalSearch() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const onResults = location.pathname === "/search";
  // On the results page the box follows the URL's query (back/forward, a link), set while
  // rendering when it changes rather than in an effect (no second render pass).
  const urlQuery = onResults ? (params.get("q") ?? "") : null;
  const [text, setText] = useState(urlQuery ?? "");
  const [followed, setFollowed] = useState(urlQuery);
  if (urlQuery !== followed) {
    setFollowed(urlQuery);
    if (urlQuery !== null) setText(urlQuery);
  }
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typingInField(event.target) || document.querySelector("[aria-modal='true']")) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <form
      className="global-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        if (q) navigate(`/search?${new URLSearchParams({ q }).toString()}`);
      }}
    >
      <input
        ref={input}
        type="search"
        value={text}
        aria-label="Find everywhere"
        aria-keyshortcuts="/"
        placeholder="Find a zone or record ( / )"
        maxLength={255}
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}
