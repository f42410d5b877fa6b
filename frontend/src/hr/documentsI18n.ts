/**
 * The employee documents card's words, in their own namespace ("hrdocs"), added when the card loads.
 */
import i18n from "../i18n";

export const DOCS_NS = "hrdocs";

const en = {
  title: "Documents",
  none: "No documents recorded.",
  kind: "Document",
  expires: "Expires",
  file: "File",
  noExpiry: "No expiry",
  noFile: "No file",
  expired: "Expired",
  expiringSoon: "Expires soon",
  download: "Download {{name}}",
  downloadFailed: "The download failed",
  upload: "Add a document",
  uploadButton: "Upload",
  chooseFile: "File (PDF or image, up to 10 MB)",
  chooseFilePlaceholder: "Choose a file",
  titleLabel: "Note (optional)",
  uploaded: "{{kind}} recorded",
  failed: "The document was not recorded",
  tooLarge: "The file is larger than 10 MB: choose a smaller one.",
  doc_national_id: "National ID",
  doc_visa: "Visa",
  doc_work_permit: "Work permit",
  doc_contract: "Contract",
};

const ar: typeof en = {
  title: "المستندات",
  none: "لا توجد مستندات مسجلة.",
  kind: "المستند",
  expires: "تاريخ الانتهاء",
  file: "الملف",
  noExpiry: "بلا انتهاء",
  noFile: "لا يوجد ملف",
  expired: "منتهي",
  expiringSoon: "ينتهي قريبًا",
  download: "تنزيل {{name}}",
  downloadFailed: "تعذّر التنزيل",
  upload: "إضافة مستند",
  uploadButton: "رفع",
  chooseFile: "الملف (PDF أو صورة، حتى 10 ميغابايت)",
  chooseFilePlaceholder: "اختر ملفًا",
  titleLabel: "ملاحظة (اختياري)",
  uploaded: "سُجّل المستند: {{kind}}",
  failed: "لم يُسجَّل المستند",
  tooLarge: "حجم الملف أكبر من 10 ميغابايت: اختر ملفًا أصغر.",
  doc_national_id: "الهوية الوطنية",
  doc_visa: "التأشيرة",
  doc_work_permit: "رخصة العمل",
  doc_contract: "العقد",
};

export const RESOURCES = { en, ar };

if (!i18n.hasResourceBundle("en", DOCS_NS)) {
  i18n.addResourceBundle("en", DOCS_NS, en);
  i18n.addResourceBundle("ar", DOCS_NS, ar);
}
