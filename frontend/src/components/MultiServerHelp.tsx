/** The seed's three scenarios, in plain words. */
export function MultiServerHelp() {
  return (
    <section className="card help" aria-labelledby="multi-help">
      <h2 id="multi-help">Which servers does a change go to?</h2>
      <p>
        The rule: <strong>if at least one active server has multi-server mode on</strong>, every
        change (zones and records) goes to{" "}
        <strong>all active servers with multi-server mode on</strong>, at the same time.{" "}
        <strong>Otherwise</strong> it goes to the <strong>default server alone</strong>. Reads come
        from the default server when it receives changes, else from the first one that answers.
      </p>
      <ol>
        <li>
          <strong>One server.</strong> Multi-server mode off everywhere: changes go to the default
          server only. This is how DNSMate works with a single PowerDNS.
        </li>
        <li>
          <strong>Some servers in multi-server mode.</strong> Say Primary and Secondary have it on
          and Legacy has it off: changes go to Primary and Secondary, and Legacy is left alone (even
          if it is the default).
        </li>
        <li>
          <strong>All servers in multi-server mode.</strong> Every active server receives every
          change.
        </li>
      </ol>
      <p>
        After each change DNSMate tells you how it went on each server:{" "}
        <span className="legend legend-success">green</span> when all succeeded,{" "}
        <span className="legend legend-partial">amber</span> when some failed (it lists them and
        their errors; the change is in place on the others), and{" "}
        <span className="legend legend-failure">red</span> when none succeeded. Inactive servers
        never receive changes.
      </p>
    </section>
  );
}
