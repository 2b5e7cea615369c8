from . import account_analytic_line
from . import hr_employee
from . import hr_employee_public
from . import project_project
from . import res_company
from . import res_config_settings
