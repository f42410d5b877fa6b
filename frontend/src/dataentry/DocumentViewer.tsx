/**
 * A record's document beside the keying form: an image, or a PDF drawn page by page, opened at the
 * record's page. At 100% the page fills the pane's width. Zoom and page with the buttons or the
 * workspace's re-bindable shortcuts
 * (shortcuts.ts); they are listened for on the window, so they work while a field has the focus.
 * The bytes come through the API client (the token is a header, so no plain <img src> would do)
 * and are kept per document: moving between a PDF's page records does not fetch it again.
 */
import "./i18n";
import { ActionIcon, Alert, Box, Card, Center, Group, Loader, ScrollArea, Stack, Text, Tooltip } from "@mantine/core";
import { useElementSize } from "@mantine/hooks";
import { IconChevronDown, IconChevronUp, IconZoomIn, IconZoomOut } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import type { PDFDocumentProxy } from "./pdf";
import { actionFor, type Bindings, comboOf, VIEWER_ACTIONS, type ViewerAction } from "./shortcuts";
import { clampPage, DEFAULT_ZOOM, stepZoom } from "./viewer";

export interface ViewerProps {
  document: Schemas["RecordDocumentOut"];
  tenantId?: string | null;
  bindings: Bindings;
  /** Where the bytes come from, for another desk's documents (default: the data entry desk's route). */
  load?: (id: string, tenantId?: string | null) => Promise<Blob>;
}

const SCROLLBAR_ROOM = 14;

const isViewerAction = (action: string | null): action is ViewerAction =>
  (VIEWER_ACTIONS as readonly string[]).includes(action ?? "");

async function fetchDocument(id: string, tenantId?: string | null): Promise<Blob> {
  return unwrap(
    api.GET("/api/v1/data-entry/documents/{document_id}", {
      params: { path: { document_id: id } },
      parseAs: "blob",
      ...forTenant(tenantId),
    }),
  ) as Promise<Blob>;
}

export default function DocumentViewer({ document: doc, tenantId, bindings, load = fetchDocument }: ViewerProps) {
  const { t, i18n } = useTranslation(NS);
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const [page, setPage] = useState(doc.page ?? 1);
  const isPdf = doc.content_type === "application/pdf";
  const { ref: frame, width: frameWidth } = useElementSize();
  // The width a page has at 100%: the pane's, less room for the vertical scrollbar.
  const fullWidth = Math.max(0, frameWidth - SCROLLBAR_ROOM);
  const bytes = useQuery({
    queryKey: ["data-entry", "document", doc.id],
    queryFn: () => load(doc.id, tenantId),
    staleTime: Infinity,
  });

  // Each record opens its document at its own page (the first, for a record of the whole document);
  // the zoom stays as the agent set it.
  const opened = `${doc.id}:${doc.page}`;
  const [openedFor, setOpenedFor] = useState(opened);
  if (openedFor !== opened) {
    setOpenedFor(opened);
    setPage(doc.page ?? 1);
  }

  const act = useCallback(
    (action: ViewerAction) => {
      if (action === "zoomIn" || action === "zoomOut") setZoom((current) => stepZoom(current, action === "zoomIn" ? 1 : -1));
      else setPage((current) => clampPage(current + (action === "nextPage" ? 1 : -1), doc.pages));
    },
    [doc.pages],
  );
  useEffect(() => {
    const listen = (event: KeyboardEvent) => {
      const action = actionFor(comboOf(event), bindings);
      if (!isViewerAction(action)) return;
      event.preventDefault();
      act(action);
    };
    window.addEventListener("keydown", listen);
    return () => window.removeEventListener("keydown", listen);
  }, [bindings, act]);

  const number = (value: number) => formatNumber(value, i18n.language);
  const button = (action: ViewerAction, icon: ReactNode, disabled = false) => (
    <Tooltip label={`${t(`viewer.${action}`)} (${bindings[action]})`}>
      <ActionIcon variant="default" aria-label={t(`viewer.${action}`)} onClick={() => act(action)} disabled={disabled}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );

  return (
    <Card withBorder padding="xs" data-testid="document-viewer" data-page={page} data-zoom={zoom} aria-label={t("viewer.label", { filename: doc.filename })} component="section">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            <bdi>{doc.filename}</bdi>
          </Text>
          <Group gap={4} wrap="nowrap">
            {isPdf && doc.pages > 1 && (
              <>
                {button("previousPage", <IconChevronUp size={16} />, page <= 1)}
                <Text size="xs" data-testid="document-page" miw={70} ta="center">
                  {t("viewer.page", { page: number(page), pages: number(doc.pages) })}
                </Text>
                {button("nextPage", <IconChevronDown size={16} />, page >= doc.pages)}
              </>
            )}
            {button("zoomOut", <IconZoomOut size={16} />)}
            <Text size="xs" miw={40} ta="center" data-testid="document-zoom">
              {t("viewer.zoom", { percent: number(Math.round(zoom * 100)) })}
            </Text>
            {button("zoomIn", <IconZoomIn size={16} />)}
          </Group>
        </Group>
        {/* The document is a picture of the page: left to right whatever the interface's direction
            (a canvas inherits its text direction, and pdf.js draws glyphs wrongly under rtl). */}
        <Box ref={frame} dir="ltr">
          <ScrollArea h="70vh" type="auto" bg="var(--mantine-color-gray-light)">
            {bytes.isPending && (
              <Center py="xl">
                <Loader size="sm" aria-label={t("viewer.loading")} />
              </Center>
            )}
            {bytes.isError && <Alert color="red">{t("viewer.failed")}</Alert>}
            {bytes.data &&
              fullWidth > 0 &&
              (isPdf ? (
                <PdfPage data={bytes.data} page={page} width={fullWidth * zoom} />
              ) : (
                <ImageView data={bytes.data} width={fullWidth * zoom} alt={doc.filename} />
              ))}
          </ScrollArea>
        </Box>
      </Stack>
    </Card>
  );
}

function ImageView({ data, width, alt }: { data: Blob; width: number; alt: string }) {
  const image = useRef<HTMLImageElement>(null);
  // The object URL lives as long as the image shows it.
  useEffect(() => {
    const url = URL.createObjectURL(data);
    if (image.current) image.current.src = url;
    return () => URL.revokeObjectURL(url);
  }, [data]);
  return (
    <img
      ref={image}
      alt={alt}
      data-testid="document-image"
      style={{ display: "block", width, maxWidth: "none" }}
    />
  );
}

function PdfPage({ data, page, width }: { data: Blob; page: number; width: number }) {
  const { t } = useTranslation(NS);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [failed, setFailed] = useState(false);
  const [drawn, setDrawn] = useState(0);

  useEffect(() => {
    let opened: PDFDocumentProxy | null = null;
    let cancelled = false;
    void (async () => {
      try {
        const { openPdf } = await import("./pdf");
        opened = await openPdf(await data.arrayBuffer());
        if (cancelled) void opened.destroy();
        else setPdf(opened);
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      void opened?.destroy();
    };
  }, [data]);

  useEffect(() => {
    if (!pdf || !canvas.current) return;
    const target = canvas.current;
    let task: { cancel: () => void; promise: Promise<void> } | null = null;
    let cancelled = false;
    void (async () => {
      const proxy = await pdf.getPage(clampPage(page, pdf.numPages));
      if (cancelled) return;
      // Drawn at the screen's pixel density, shown at the asked width: sharp on high-DPI screens.
      const density = window.devicePixelRatio || 1;
      const viewport = proxy.getViewport({ scale: (width / proxy.getViewport({ scale: 1 }).width) * density });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      target.style.width = `${Math.floor(viewport.width / density)}px`;
      target.style.height = `${Math.floor(viewport.height / density)}px`;
      task = proxy.render({ canvas: target, viewport });
      try {
        await task.promise;
        if (!cancelled) setDrawn(page);
      } catch {
        // Cancelled by a newer page or zoom: that render draws instead.
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, page, width]);

  if (failed) return <Alert color="red">{t("viewer.failed")}</Alert>;
  return <canvas ref={canvas} data-testid="document-canvas" data-drawn-page={drawn || undefined} style={{ display: "block" }} />;
}
