/**
 * pdf.js, loaded only when a PDF is shown (it is large). Its worker is a same-origin file Vite
 * emits (`?url`), which the app's Content-Security-Policy allows; eval stays off for the same policy.
 */
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy };

export function openPdf(data: ArrayBuffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
}
