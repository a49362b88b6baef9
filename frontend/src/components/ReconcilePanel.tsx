import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { keys } from "../api/keys";
import { reconcileZone } from "../api/sync";
import type { ReconcileAnswer } from "../api/sync";
import type { PowerDNSServer } from "../api/types";
import { useChange } from "../hooks/useChange";
import { planIsEmpty, reconcileOutcome } from "../lib/sync";
import { Field } from "./Field";
import { ReconcilePlanView } from "./ReconcilePlanView";
import { FormError } from "./FormError";
import { defaultServer, ServerOptions } from "./ServerPicker";

interface Props {
  zone: string;
  servers: PowerDNSServer[];
}

/**
 * Make every server hold the source server's copy: choose the source, see the plan (a dry
 * run), then apply it. A plan touching more than 30 % of a server's RRsets needs "force".
 */
export function ReconcilePanel({ zone, servers }: Props) {
  const fallback = defaultServer(servers);
  const [source, setSource] = useState<number | null>(null);
  const chosen = source ?? fallback?.id ?? null;
  const [planFor, setPlanFor] = useState<number | null>(null);
  const [force, setForce] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const plan = useQuery({
    queryKey: ["reconcile-plan", zone, planFor],
    queryFn: () => reconcileZone(zone, planFor!, true),
    enabled: planFor !== null,
    gcTime: 0,
  });

  function reset() {
    setPlanFor(null);
    setForce(false);
    setRefusal(null);
  }

  const apply = useChange<{ source: number; force: boolean }>({
    run: async (vars) => {
      try {
        return reconcileOutcome(await reconcileZone(zone, vars.source, false, vars.force));
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          setRefusal(error.message);
        }
        throw error;
      }
    },
    title: () => `Reconcile ${zone}`,
    invalidate: [keys.sync, keys.zone(zone), keys.records(zone), keys.versions(zone)],
    onSuccess: reset,
  });

  const answer: ReconcileAnswer | undefined = plan.data;
  // A new plan takes the focus, so Tab goes on to its buttons (keyboard use).
  const planHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (answer) planHeading.current?.focus();
  }, [answer]);
  const needsForce = refusal !== null || answer?.safe === false;
  const sourceName = servers.find((s) => s.id === planFor)?.name ?? "";

  return (
    <section className="card reconcile" aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">Reconcile</h2>
      <p className="muted">
        Make every server hold the same copy of the zone as the source server. You see the plan
        first; nothing changes until you apply it. The SOA is left alone (each server keeps its own
        serial).
      </p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen === null || plan.isFetching) return;
          reset();
          setPlanFor(chosen);
          if (planFor === chosen) void plan.refetch();
        }}
      >
        <Field label="Source (the right copy)">
          <select
            value={chosen ?? ""}
            onChange={(e) => {
              setSource(Number(e.target.value));
              reset();
            }}
          >
            <ServerOptions servers={servers} />
          </select>
        </Field>
        <button type="submit" className="button-secondary" aria-disabled={plan.isFetching}>
          {plan.isFetching ? "Planning…" : "Show plan"}
        </button>
      </form>
      <FormError message={plan.error?.message} />
      {answer && (
        <>
          <h3 className="section-title">
            Plan: copy {answer.zone} from {sourceName}
          </h3>
          <ReconcilePlanView plan={answer} />
          {planIsEmpty(answer) ? (
            <p className="badge badge-ok" role="status">
              Nothing to change: every server already holds the source's copy.
            </p>
          ) : (
            <>
              {needsForce && (
                <div className="force-warning" role="alert">
                  <p>
                    {refusal ??
                      "This plan updates or deletes more than 30 % of a server's RRsets. " +
                        "DNSMate refuses it unless you force it."}
                  </p>
                  <label className="switch">
                    <input
                      type="checkbox"
                      checked={force}
                      onChange={(e) => setForce(e.target.checked)}
                    />
                    Force: I have reviewed the plan; overwrite those servers' RRsets anyway
                  </label>
                </div>
              )}
              <div className="dialog-actions">
                <button type="button" className="button-secondary" onClick={reset}>
                  Cancel
                </button>
                <button
                  type="button"
                  className={needsForce ? "button-danger" : undefined}
                  disabled={apply.isPending || (needsForce && !force)}
                  onClick={() => apply.mutate({ source: planFor!, force })}
                >
                  {apply.isPending ? "Applying…" : needsForce ? "Apply with force" : "Apply"}
                </button>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
