from . import project_milestone
from . import project_project
from . import project_task
from . import psa_project_budget_line
from . import psa_project_snapshot
from . import res_company
from . import res_config_settings
