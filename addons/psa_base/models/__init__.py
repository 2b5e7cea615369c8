from . import hr_employee
from . import hr_employee_public
from . import res_config_settings
from . import resource_calendar
