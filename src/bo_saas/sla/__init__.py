"""SLA: business calendars, targets, clocks, breach detection and reports."""
