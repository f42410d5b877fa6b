/**
 * The leave screens' words, in their own namespace ("hrleave"), added to i18next when a leave screen loads.
 */
import i18n from "../../i18n";

export const NS = "hrleave";

const en = {
  title: "Leave",
  request: "Request leave",
  employee: "Employee",
  type: "Leave type",
  from: "From",
  to: "To",
  submit: "Submit request",
  requested: "Leave requested: {{days}} working days",
  requests: "Requests",
  days: "Working days",
  status: "Status",
  status_pending: "Pending",
  status_approved: "Approved",
  status_rejected: "Rejected",
  status_cancelled: "Cancelled",
  approve: "Approve",
  reject: "Reject",
  rejectReason: "Reason for rejecting",
  approved: "Leave approved",
  rejected: "Leave rejected",
  onBehalf: "Approved by the provider for the client",
  noRequests: "No leave requests yet.",
  calendar: "Who is away",
  noneAway: "Nobody is away in these days.",
  decidedInPortal: "The client admin approves leave in the portal.",
  decideOnBehalf: "You approve or refuse pending leave on behalf of the client's admin; the decision is recorded as yours, made for them.",
  onBehalfShort: "Decided by the provider on the client's behalf",
  onBehalfOf: "On behalf of (client admin)",
  onBehalfNote: "You decide this for the client: it is recorded under your name, on behalf of the client admin you choose.",
  approveTitle: "Approve {{name}}'s leave",
  refuseTitle: "Refuse {{name}}'s leave",
  daysCount: "{{days}} working days",
  approvedOnBehalf: "Leave approved on the client's behalf",
  rejectedOnBehalf: "Leave refused on the client's behalf",
  cancel: "Cancel",
  failed: "The request failed",
};

const ar: typeof en = {
  title: "الإجازات",
  request: "طلب إجازة",
  employee: "الموظف",
  type: "نوع الإجازة",
  from: "من",
  to: "إلى",
  submit: "إرسال الطلب",
  requested: "طُلبت الإجازة: {{days}} أيام عمل",
  requests: "الطلبات",
  days: "أيام العمل",
  status: "الحالة",
  status_pending: "قيد الانتظار",
  status_approved: "معتمدة",
  status_rejected: "مرفوضة",
  status_cancelled: "ملغاة",
  approve: "اعتماد",
  reject: "رفض",
  rejectReason: "سبب الرفض",
  approved: "اعتُمدت الإجازة",
  rejected: "رُفضت الإجازة",
  onBehalf: "اعتمدها مزوّد الخدمة نيابةً عن العميل",
  noRequests: "لا توجد طلبات إجازة بعد.",
  calendar: "من هو في إجازة",
  noneAway: "لا أحد في إجازة في هذه الأيام.",
  decidedInPortal: "يعتمد مسؤول العميل الإجازات من البوابة.",
  decideOnBehalf: "تعتمد الإجازات المعلّقة أو ترفضها نيابةً عن مسؤول العميل؛ ويُسجَّل القرار باسمك نيابةً عنه.",
  onBehalfShort: "قرّرها مزوّد الخدمة نيابةً عن العميل",
  onBehalfOf: "نيابةً عن (مسؤول العميل)",
  onBehalfNote: "أنت تقرّر هذا نيابةً عن العميل: يُسجَّل باسمك نيابةً عن مسؤول العميل الذي تختاره.",
  approveTitle: "اعتماد إجازة {{name}}",
  refuseTitle: "رفض إجازة {{name}}",
  daysCount: "{{days}} أيام عمل",
  approvedOnBehalf: "اعتُمدت الإجازة نيابةً عن العميل",
  rejectedOnBehalf: "رُفضت الإجازة نيابةً عن العميل",
  cancel: "إلغاء",
  failed: "تعذّر تنفيذ الطلب",
};

export const RESOURCES = { en, ar };

if (!i18n.hasResourceBundle("en", NS)) {
  i18n.addResourceBundle("en", NS, en);
  i18n.addResourceBundle("ar", NS, ar);
}
