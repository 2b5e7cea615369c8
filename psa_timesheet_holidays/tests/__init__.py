from . import test_psa_timesheet_holidays
