import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives here. Go to the <Link to="/">dashboard</Link>.
      </p>
    </section>
  );
}
