import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";
import { NotificationProvider } from "../components/NotificationProvider";
import { makeQueryClient } from "../queryClient";

/** Render with the app's providers (fresh query cache, router, notifications). */
export function renderWithProviders(ui: ReactElement, { route = "/" } = {}) {
  const client = makeQueryClient();
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[route]}>
        <NotificationProvider>{ui}</NotificationProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
