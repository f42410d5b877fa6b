import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./i18n";
import { DirectionProvider, MantineProvider, createTheme, useDirection } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, useEffect } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";
import { ApiError } from "./api/client";
import { SessionProvider } from "./auth/session";
import { direction, isLanguage } from "./i18n";
import { router } from "./routes";

const theme = createTheme({ primaryColor: "indigo", defaultRadius: "md" });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip might.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: true,
    },
  },
  mutationCache: new MutationCache(),
});

/** Keeps Mantine's direction in step with the language, without remounting (typed text survives a switch). */
function DirectionSync({ dir }: { dir: "ltr" | "rtl" }) {
  const { setDirection } = useDirection();
  useEffect(() => setDirection(dir), [dir, setDirection]);
  return null;
}

function App() {
  const { i18n } = useTranslation();
  const dir = direction(isLanguage(i18n.language) ? i18n.language : "en");
  return (
    <DirectionProvider initialDirection={dir} detectDirection={false}>
      <DirectionSync dir={dir} />
      <MantineProvider theme={theme}>
        <Notifications position={dir === "rtl" ? "top-left" : "top-right"} />
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
