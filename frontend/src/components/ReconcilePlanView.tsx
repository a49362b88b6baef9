import type { ReconcileAnswer } from "../api/sync";
import { planSummary, rrsetText } from "../lib/sync";

/** A reconcile plan per server: RRsets created (+), updated (~) and deleted (−). */
export function ReconcilePlanView({ plan }: { plan: ReconcileAnswer }) {
  return (
    <div className="reconcile-plan" data-testid="reconcile-plan">
      {plan.servers.map((p) => (
        <div key={p.server} className="reconcile-server">
          <h4>
            {p.server}{" "}
            {p.unsafe && <span className="badge badge-warn">more than 30 % of its RRsets</span>}
          </h4>
          <p className={p.error ? "form-error" : "muted"}>{planSummary(p)}</p>
          {(p.creates.length > 0 || p.updates.length > 0 || p.deletes.length > 0) && (
            <ul className="plan-list">
              {p.creates.map((r) => (
                <li key={`c-${r.name}-${r.type}`}>
                  <span className="plan-add">+</span> {r.name} {r.type} {rrsetText(r)}
                </li>
              ))}
              {p.updates.map((r) => (
                <li key={`u-${r.name}-${r.type}`}>
                  <span className="plan-change">~</span> {r.name} {r.type} → {rrsetText(r)}
                </li>
              ))}
              {p.deletes.map((r) => (
                <li key={`d-${r.name}-${r.type}`}>
                  <span className="plan-delete">−</span> {r.name} {r.type}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}
