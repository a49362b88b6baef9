import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { listAudit } from "../api/audit";
import { keys } from "../api/keys";
import { AuditTable } from "../components/AuditTable";
import { Field } from "../components/Field";
import { Pagination } from "../components/Pagination";
import { useDebounced } from "../hooks/useDebounced";
import { FormError } from "../components/FormError";

const PER_PAGE = 50;
type Filter = "zone" | "user" | "action" | "since";

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [values, setValues] = useState<Record<Filter, string>>({
    zone: params.get("zone") ?? "",
    user: params.get("user") ?? "",
    action: params.get("action") ?? "",
    since: params.get("since") ?? "",
  });
  const filters = useDebounced(values);
  const query = {
    page,
    per_page: PER_PAGE,
    zone: filters.zone.trim() || undefined,
    user: filters.user.trim() || undefined,
    action: filters.action.trim() || undefined,
    since: filters.since ? `${filters.since}T00:00:00Z` : undefined,
  };
  const events = useQuery({
    queryKey: [...keys.audit, query],
    queryFn: () => listAudit(query),
    placeholderData: keepPreviousData,
  });

  function set(key: Filter, value: string) {
    setValues((v) => ({ ...v, [key]: value }));
    const next = new URLSearchParams(params);
    next.delete("page");
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  function goTo(p: number) {
    const next = new URLSearchParams(params);
    if (p > 1) next.set("page", String(p));
    else next.delete("page");
    setParams(next, { replace: true });
  }

  return (
    <section>
      <h1>Audit log</h1>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Zone">
          <input value={values.zone} onChange={(e) => set("zone", e.target.value)} />
        </Field>
        <Field label="User" hint="E-mail or id">
          <input value={values.user} onChange={(e) => set("user", e.target.value)} />
        </Field>
        <Field label="Action" hint="e.g. record, or record.create">
          <input value={values.action} onChange={(e) => set("action", e.target.value)} />
        </Field>
        <Field label="Since">
          <input type="date" value={values.since} onChange={(e) => set("since", e.target.value)} />
        </Field>
      </form>
      <FormError message={events.error?.message} />
      {events.data && (
        <Pagination
          label="Audit events"
          page={page}
          perPage={PER_PAGE}
          total={events.data.total}
          onPage={goTo}
        />
      )}
      <AuditTable events={events.data?.items ?? []} />
    </section>
  );
}
