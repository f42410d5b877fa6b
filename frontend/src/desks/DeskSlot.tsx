/**
 * The place on the console's item page where the item's desk draws its workspace (see registry.ts).
 * Nothing for an item without a desk, or whose desk has no workspace here. The workspace loads with
 * its own chunk; if it fails (a chunk that will not load, a desk's bug), the rest of the page stays.
 */
import { Center, Loader } from "@mantine/core";
import { Component, type ErrorInfo, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import type { WorkItem } from "../items/itemQueries";
import { type Desk, type DeskWorkspace, deskOf, deskWorkspace } from "./registry";

export function DeskSlot({ item }: { item: WorkItem }) {
  const desk = deskOf(item);
  const workspace = deskWorkspace(item);
  if (!desk || !workspace) return null;
  return <DeskSection item={item} desk={desk} workspace={workspace} />;
}

function DeskSection({ item, desk, workspace: Workspace }: { item: WorkItem; desk: Desk; workspace: DeskWorkspace }) {
  const { t } = useTranslation("items");
  return (
    <section aria-label={t("item.deskWorkspace")} data-testid="desk-workspace" data-desk={desk.service_type}>
      <DeskBoundary>
        <Suspense
          fallback={
            <Center py="xl" aria-busy="true">
              <Loader size="sm" />
            </Center>
          }
        >
          <Workspace item={item} desk={desk} />
        </Suspense>
      </DeskBoundary>
    </section>
  );
}

class DeskBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("desk workspace failed", error, info.componentStack);
  }

  render() {
    if (this.state.error) return <ErrorAlert error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
