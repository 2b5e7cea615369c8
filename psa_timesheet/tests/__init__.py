from . import test_psa_timesheet_performance
from . import test_psa_timesheet_reminders
from . import test_psa_timesheet_rules
from . import test_psa_timesheet_tour
from . import test_psa_timesheet_views
from . import test_psa_timesheet_workflow
