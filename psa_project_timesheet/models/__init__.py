from . import project_project
from . import res_company
from . import res_config_settings
