/**
 * The document viewer, loaded with its own chunk the first time a record with a document is keyed:
 * the keying workspace (and the sign-in bundle) stay light when no document is shown.
 */
import { Center, Loader } from "@mantine/core";
import { lazy, Suspense } from "react";
import type { ViewerProps } from "./DocumentViewer";

const DocumentViewer = lazy(() => import("./DocumentViewer"));

export function DocumentPane(props: ViewerProps) {
  return (
    <Suspense
      fallback={
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      }
    >
      <DocumentViewer {...props} />
    </Suspense>
  );
}
