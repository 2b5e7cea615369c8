from . import psa_timesheet_reason_wizard
from . import psa_timesheet_submit_week_wizard
