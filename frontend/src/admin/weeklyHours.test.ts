import { describe, expect, it } from "vitest";
import {
  checkWeek,
  dayMinutes,
  dayProblems,
  draftFromWeeklyHours,
  formatPeriod,
  parsePeriod,
  placeCalendarProblem,
  roundTheClock,
  suggestPeriod,
  weeklyHoursFromDraft,
} from "./weeklyHours";

describe("parsePeriod", () => {
  it("reads a period as minutes since midnight, with or without a leading zero or spaces", () => {
    expect(parsePeriod("09:00-13:30")).toEqual({ start: 540, end: 810 });
    expect(parsePeriod(" 9:00 - 17:00 ")).toEqual({ start: 540, end: 1020 });
  });

  it("lets only the end be 24:00", () => {
    expect(parsePeriod("22:00-24:00")).toEqual({ start: 1320, end: 1440 });
    expect(parsePeriod("24:00-24:00")).toEqual("impossibleTime");
  });

  it("names what is wrong with a period", () => {
    expect(parsePeriod("9-5")).toEqual("format");
    expect(parsePeriod("09:__-__:__")).toEqual("format");
    expect(parsePeriod("")).toEqual("format");
    expect(parsePeriod("09:60-10:00")).toEqual("impossibleTime");
    expect(parsePeriod("25:00-26:00")).toEqual("impossibleTime");
    expect(parsePeriod("17:00-09:00")).toEqual("endNotAfterStart");
    expect(parsePeriod("09:00-09:00")).toEqual("endNotAfterStart");
  });
});

describe("formatPeriod", () => {
  it("writes two-digit hours and minutes, midnight at the end as 24:00", () => {
    expect(formatPeriod({ start: 540, end: 810 })).toBe("09:00-13:30");
    expect(formatPeriod({ start: 0, end: 1440 })).toBe("00:00-24:00");
  });
});

describe("dayProblems", () => {
  it("accepts a split shift and periods that only touch", () => {
    expect(dayProblems(["09:00-13:00", "16:00-20:00"])).toEqual([null, null]);
    expect(dayProblems(["13:00-17:00", "09:00-13:00"])).toEqual([null, null]);
  });

  it("marks both periods that overlap, whatever order they were typed in", () => {
    expect(dayProblems(["12:00-14:00", "16:00-18:00", "09:00-13:00"])).toEqual(["overlap", null, "overlap"]);
  });

  it("finds a period inside a long one even when a short one lies between", () => {
    expect(dayProblems(["09:00-17:00", "10:00-11:00", "12:00-13:00"])).toEqual(["overlap", "overlap", "overlap"]);
  });

  it("marks the same period typed twice", () => {
    expect(dayProblems(["09:00-13:00", "09:00-13:00"])).toEqual(["overlap", "overlap"]);
  });

  it("reports a malformed period without hiding the others' problems", () => {
    expect(dayProblems(["nine to five", "17:00-09:00", "10:00-12:00"])).toEqual(["format", "endNotAfterStart", null]);
  });
});

describe("checkWeek", () => {
  it("refuses a week with no business hours at all", () => {
    const check = checkWeek(draftFromWeeklyHours(null));
    expect(check.noHours).toBe(true);
    expect(check.valid).toBe(false);
  });

  it("is valid when every period on every day is", () => {
    expect(checkWeek(draftFromWeeklyHours({ sun: ["09:00-13:00", "16:00-20:00"] })).valid).toBe(true);
  });

  it("is invalid when one day has a problem, and says which", () => {
    const check = checkWeek(draftFromWeeklyHours({ mon: ["09:00-17:00"], tue: ["09:00-12:00", "11:00-15:00"] }));
    expect(check.valid).toBe(false);
    expect(check.byDay.tue).toEqual(["overlap", "overlap"]);
    expect(check.byDay.mon).toEqual([null]);
  });
});

describe("draft and payload", () => {
  it("opens every weekday, closed ones empty", () => {
    const draft = draftFromWeeklyHours({ sun: ["09:00-17:00"] });
    expect(draft.sun).toEqual(["09:00-17:00"]);
    expect(draft.fri).toEqual([]);
    expect(Object.keys(draft)).toHaveLength(7);
  });

  it("sends periods written the same way and in order, leaving closed days out", () => {
    const draft = draftFromWeeklyHours({ mon: ["16:00-20:00", "9:00-13:00"], tue: [] });
    expect(weeklyHoursFromDraft(draft)).toEqual({ mon: ["09:00-13:00", "16:00-20:00"] });
  });

  it("makes a round-the-clock week that still counts as business hours", () => {
    const week = roundTheClock();
    expect(week.wed).toEqual(["00:00-24:00"]);
    expect(checkWeek(week).valid).toBe(true);
  });
});

describe("suggestPeriod", () => {
  it("offers a working day on a closed day", () => {
    expect(suggestPeriod([])).toBe("09:00-17:00");
  });

  it("offers a split shift an hour after the last period", () => {
    expect(suggestPeriod(["09:00-13:00"])).toBe("14:00-18:00");
    expect(suggestPeriod(["09:00-13:00", "bad"])).toBe("14:00-18:00");
  });

  it("stops at midnight, and offers nothing when the day is worked until late", () => {
    expect(suggestPeriod(["09:00-21:00"])).toBe("22:00-24:00");
    expect(suggestPeriod(["09:00-23:30"])).toBe("");
  });
});

describe("dayMinutes", () => {
  it("adds up the valid periods", () => {
    expect(dayMinutes(["09:00-13:00", "16:00-20:00", "oops"])).toBe(480);
  });
});

describe("placeCalendarProblem", () => {
  it("puts the server's words next to the day they are about, without the prefixes", () => {
    expect(
      placeCalendarProblem("calendar: weekly_hours['mon']: periods '09:00-13:00' and '12:00-14:00' overlap"),
    ).toEqual({ field: "mon", text: "periods '09:00-13:00' and '12:00-14:00' overlap" });
  });

  it("puts them next to the holiday country, the holidays or the week", () => {
    expect(placeCalendarProblem("calendar: unknown holiday country 'XX'; use an upper-case code")).toEqual({
      field: "holiday_country",
      text: "unknown holiday country 'XX'; use an upper-case code",
    });
    expect(placeCalendarProblem("holidays[0]: Invalid RFC3339 encoded date").field).toBe("holidays");
    expect(placeCalendarProblem("calendar: no business hours: give at least one day with periods").field).toBe(
      "weekly_hours",
    );
  });

  it("leaves anything else for the whole form", () => {
    expect(placeCalendarProblem("Choose one tenant for this change with the X-Tenant header")).toEqual({
      field: null,
      text: "Choose one tenant for this change with the X-Tenant header",
    });
  });
});
